"""Issue 22: modules that moved keep their old import path for one release, with a warning,
and the repository's own code uses only the new paths."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

import osint_kit
from osint_kit import _moved

ROOT = Path(__file__).resolve().parents[2]

#: old module -> new module (the old one is a DeprecationWarning alias for one release)
MOVED = _moved.MOVED


def test_every_module_of_the_old_layout_is_mapped() -> None:
    """The 21 modules of the flat ``images/`` package and the 7 capture modules that left
    ``sources/`` (``capture.py`` became the ``sources.capture`` package itself)."""
    assert len([m for m in MOVED if m.startswith("osint_kit.images.")]) == 21
    assert len([m for m in MOVED if m.startswith("osint_kit.sources.")]) == 7
    for new in MOVED.values():
        importlib.import_module(new)  # every target exists


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_old_path_warns_and_is_the_new_module(old: str, new: str) -> None:
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=re.escape(new)):
        alias = importlib.import_module(old)
    target = importlib.import_module(new)
    assert alias is target  # one copy of each module: state and monkeypatches are shared
    assert target.__spec__ is not None and target.__spec__.name == new


def test_old_from_import_forms_work() -> None:
    sys.modules.pop("osint_kit.images.metadata", None)
    with pytest.warns(DeprecationWarning, match="osint_kit.media.read.metadata"):
        from osint_kit.images.metadata import read_metadata  # noqa: F401
    from osint_kit.sources.capture import Capture  # the old capture module's names
    assert Capture is osint_kit.Capture


def test_test_image_generator_left_the_public_api() -> None:
    assert "make_image" not in osint_kit.__all__
    with pytest.raises(AttributeError):
        osint_kit.make_image  # noqa: B018


def _repo_python() -> list[Path]:
    out = []
    for top in ("osint_kit", "tests", "benchmarks", "examples", "notebooks"):
        out += sorted((ROOT / top).rglob("*.py"))
    return out


def test_repository_uses_only_the_new_paths() -> None:
    """No caller imports a moved module by its old name, and no test or benchmark reaches
    the generators through ``sys.path`` (they are ``osint_kit.testing`` modules now)."""
    old_names = [re.escape(old) + r"\b" for old in MOVED]
    old_names += [re.escape(old.rsplit(".", 1)[0]) + r" import " + old.rsplit(".", 1)[1] + r"\b"
                  for old in MOVED]
    old_local = (r"^\s*(from|import) (hostile|hostile_text|forensics_sets|isolation|scan_hooks|"
                 r"nbrun|_corpus|_readers)\b")
    shims = {ROOT / "osint_kit" / "_moved.py", ROOT / "osint_kit" / "images" / "__init__.py"}
    bad = []
    for path in _repo_python():
        if path.name == "test_core_moves.py" or path in shims:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in [*old_names, old_local]:
            if re.search(pattern, text, re.MULTILINE):
                bad.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert bad == []


#: A change to ``sys.path`` (insert, append, extend, slice or item assignment, ``=``, ``+=``).
SYS_PATH_EDIT = re.compile(r"sys\.path\s*(\.(insert|append|extend)\b|\[[^]]*\]\s*=|\+=|=(?!=))")

#: file -> why it may change ``sys.path`` (only to build a subprocess's path on purpose)
SYS_PATH_ALLOWED = {
    "tests/reliability/test_reliability_worker_death.py":
        "the child process's code string puts the repository and this test's folder on its own "
        "path, to import this test module's spin() in the isolated worker",
}


def test_no_sys_path_edits_in_tests_or_benchmarks() -> None:
    """Tests and benchmarks import their helpers as ``osint_kit.testing`` modules (workers
    import readers by name, so they must be importable anywhere), never by editing
    ``sys.path``; the allow-list holds only code that builds a subprocess's path, and an
    entry that no longer edits it fails too, so the list cannot rot."""
    paths = [p for top in ("tests", "benchmarks") for p in sorted((ROOT / top).rglob("*.py"))]
    assert len(paths) > 100  # the walk found the suite
    editing = {p.relative_to(ROOT).as_posix() for p in paths
               if p.name != "test_core_moves.py"
               and SYS_PATH_EDIT.search(p.read_text(encoding="utf-8"))}
    assert editing - set(SYS_PATH_ALLOWED) == set(), "import from osint_kit.testing instead"
    assert set(SYS_PATH_ALLOWED) - editing == set(), "no longer edits sys.path: drop the entry"


@pytest.mark.parametrize("line", ["sys.path.insert(0, str(HERE))", "sys.path[:0] = [root]",
                                  "sys.path.append(here)", "sys.path = [x, *sys.path]",
                                  "sys.path += [here]"])
def test_the_sys_path_check_sees_every_form(line: str) -> None:
    assert SYS_PATH_EDIT.search(line)


@pytest.mark.parametrize("line", ["print(sys.path)", "if p not in sys.path:",
                                  "assert sys.path == before", "list(sys.path)"])
def test_the_sys_path_check_ignores_reads(line: str) -> None:
    assert not SYS_PATH_EDIT.search(line)
