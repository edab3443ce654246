"""Keep the paired notebooks honest: ``.ipynb`` in sync with its ``py:percent`` source.

``python -m osint_kit.workshop.sync --check notebooks`` exits non-zero when any ``.ipynb`` is
missing, differs from its ``.py`` (cell types, sources, tags), has no ``.py`` partner, or
carries outputs or execution counts (committed notebooks hold no outputs).
``--write`` regenerates every ``.ipynb`` from its ``.py`` without outputs.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_HEADER_MARK = "jupytext:"


def is_jupytext_py(path: Path) -> bool:
    """True for a ``.py`` file that starts with a jupytext YAML header."""
    try:
        head = path.read_text(encoding="utf-8")[:600]
    except (OSError, UnicodeDecodeError):
        return False
    return head.startswith("# ---") and _HEADER_MARK in head


def _cells(nb: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (c.cell_type, c.source.strip(), tuple(sorted(c.get("metadata", {}).get("tags", []))))
        for c in nb.cells
    ]


def check_pair(py_path: Path) -> list[str]:
    """Problems of one pair (empty list = in sync and output-free)."""
    import jupytext
    import nbformat

    problems: list[str] = []
    ipynb = py_path.with_suffix(".ipynb")
    if not ipynb.exists():
        return [f"{ipynb}: missing (run: python -m osint_kit.workshop.sync --write "
                f"{py_path.parent})"]
    from_py = jupytext.read(py_path)
    stored = nbformat.read(ipynb, as_version=4)
    for i, cell in enumerate(stored.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(f"{ipynb}: cell {i} carries outputs or an execution count "
                            "(commit notebooks without outputs)")
    formats = stored.metadata.get("jupytext", {}).get("formats", "")
    if "py:percent" not in formats:
        problems.append(f"{ipynb}: metadata.jupytext.formats should pair it with py:percent")
    a, b = _cells(from_py), _cells(stored)
    if a != b:
        first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                     min(len(a), len(b)))
        problems.append(
            f"{ipynb}: out of sync with {py_path.name} (first difference at cell {first}; "
            f"{len(a)} cells in .py, {len(b)} in .ipynb)"
        )
    return problems


def check_folder(folder: Path) -> list[str]:
    """Problems of every notebook pair in ``folder``."""
    problems: list[str] = []
    pys = sorted(p for p in folder.glob("*.py") if is_jupytext_py(p))
    for py in pys:
        problems.extend(check_pair(py))
    stems = {p.stem for p in pys}
    for ipynb in sorted(folder.glob("*.ipynb")):
        if ipynb.stem not in stems:
            problems.append(f"{ipynb}: no paired py:percent source {ipynb.stem}.py")
    if not pys:
        problems.append(f"{folder}: no jupytext py:percent notebooks found")
    return problems


def _stable_ids(nb: Any, target: Path, name: str) -> None:
    """Cell ids that do not change on every write (so ``.ipynb`` diffs show only edits):
    a cell whose text is unchanged keeps its old id, a new cell gets one from its text."""
    import nbformat

    old: dict[str, list[str]] = {}
    if target.exists():
        for cell in nbformat.read(target, as_version=4).cells:
            if "id" in cell:
                old.setdefault(cell.source, []).append(cell.id)
    used: set[str] = set()
    for index, cell in enumerate(nb.cells):
        kept = old.get(cell.source)
        new = kept.pop(0) if kept else None
        salt = 0
        while new is None or new in used:
            text = f"{name}\0{index}\0{salt}\0{cell.source}"
            new = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
            salt += 1
        cell.id = new
        used.add(new)


def write_folder(folder: Path) -> list[Path]:
    """Regenerate every ``.ipynb`` from its ``.py`` (no outputs, stable cell ids)."""
    import jupytext

    written = []
    for py in sorted(p for p in folder.glob("*.py") if is_jupytext_py(p)):
        nb = jupytext.read(py)
        nb.metadata.setdefault("jupytext", {})["formats"] = "ipynb,py:percent"
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        target = py.with_suffix(".ipynb")
        _stable_ids(nb, target, py.name)
        jupytext.write(nb, target, fmt="ipynb")
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m osint_kit.workshop.sync",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="report problems, exit 1 if any")
    mode.add_argument("--write", action="store_true", help="regenerate .ipynb from .py")
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"sync: {args.folder} is not a folder", file=sys.stderr)
        return 2
    if args.write:
        for path in write_folder(args.folder):
            print(f"wrote {path}")
        return 0
    problems = check_folder(args.folder)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"sync: every notebook in {args.folder} is paired, in sync and output-free")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
