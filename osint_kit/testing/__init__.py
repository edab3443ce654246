"""Generators of test material with known truth, for tests, benchmarks and workshops.

- :mod:`osint_kit.testing.images`: small images whose metadata is known exactly
  (``make_image``, ``gps_tags``, ``xmp_packet``, ``build_exif``, ...).
- :mod:`osint_kit.testing.image_sets`: image sets with known truth for forensics, hashing and
  near-duplicate checks (``structured_image``, ``make_duplicate_set``, ...).
- :mod:`osint_kit.testing.hostile`: a deterministic generator of hostile image files.
- :mod:`osint_kit.testing.hostile_text`: hostile pages, Timesketch files and CSV cells.
- :mod:`osint_kit.testing.corpus`: generated folders for the scan tests and the benchmarks
  (``make_mixed_folder``, ``generated_corpus``, ``copied_samples``, ...).
- :mod:`osint_kit.testing.stand_ins`: decoders that crash or hang and scan readers, imported
  by name in worker processes (``"osint_kit.testing.stand_ins:sleepy_reader"``).
- :mod:`osint_kit.testing.notebooks`: execute a notebook, collect its text outputs.
- :mod:`osint_kit.testing.videos`, :mod:`osint_kit.testing.hostile_video`: generated clips
  and hostile video files.
- :mod:`osint_kit.testing.timing`: the benchmarks' median wall time.

Not part of the analysis API (``ok.*``): import the submodule you need.
"""
