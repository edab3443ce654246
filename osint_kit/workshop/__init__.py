"""Workshop mode: student builds of the notebooks and answer self-checks.

``build_student(src_dir, out_dir)`` (in :mod:`osint_kit.workshop.build`) writes a
self-contained student folder with solutions replaced by placeholders; ``check(name,
answer)`` (in :mod:`osint_kit.workshop.checks`) confirms a right answer, tells a near miss,
or gives a hint, reading answers forgivingly (:mod:`osint_kit.workshop.answers`);
``python -m osint_kit.workshop.sync --check notebooks`` keeps ``.ipynb`` files paired with
their ``py:percent`` sources and free of outputs.
"""
