"""Issue 22: the size of the house. No module over 600 lines (a module that passes it is
usually two concerns); no package folder with more than 12 modules (its ``.py`` files,
``__init__.py`` included; a subpackage is its own folder). Exceptions are listed here with
their reason, and an exception that is no longer needed fails too, so the list cannot rot."""

from __future__ import annotations

from pathlib import Path

import osint_kit

PACKAGE = Path(osint_kit.__file__).resolve().parent
MAX_LINES = 600
MAX_MODULES = 12

#: module (relative to the package) -> (lines it may have at most, why)
OVERSIZE: dict[str, tuple[int, str]] = {
}
#: folder (relative to the package) -> (modules it may have at most, why)
CROWDED: dict[str, tuple[int, str]] = {}


def _lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def test_no_module_over_600_lines() -> None:
    sizes = {path.relative_to(PACKAGE).as_posix(): _lines(path)
             for path in PACKAGE.rglob("*.py")}
    assert len(sizes) > 50  # the walk found the package
    too_long = {name: n for name, n in sizes.items()
                if n > OVERSIZE.get(name, (MAX_LINES, ""))[0]}
    assert too_long == {}, f"split these modules by concern (at most {MAX_LINES} lines)"
    stale = {name for name, (limit, _) in OVERSIZE.items() if sizes.get(name, 0) <= MAX_LINES}
    assert stale == set(), "these are within the limit now: delete their OVERSIZE entries"


def test_no_folder_with_more_than_12_modules() -> None:
    counts = {folder.relative_to(PACKAGE).as_posix(): len(list(folder.glob("*.py")))
              for folder in [PACKAGE, *PACKAGE.rglob("*")]
              if folder.is_dir() and folder.name != "__pycache__"}
    assert counts["media/forensics"] > 0  # the walk found the subpackages
    crowded = {name: n for name, n in counts.items()
               if n > CROWDED.get(name, (MAX_MODULES, ""))[0]}
    assert crowded == {}, f"at most {MAX_MODULES} modules per folder: merge or split by stage"
    stale = {name for name, (limit, _) in CROWDED.items() if counts.get(name, 0) <= MAX_MODULES}
    assert stale == set(), "these are within the limit now: delete their CROWDED entries"
