"""Issue 22: modules that moved keep their old import path for one release, with a warning,
and the repository's own code uses only the new paths."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

import osint_kit

ROOT = Path(__file__).resolve().parents[2]

#: old module -> new module (the old one is a DeprecationWarning alias for one release)
MOVED = {
    "osint_kit.images.synth": "osint_kit.testing.images",
    "osint_kit.images.engine": "osint_kit.runner.engine",
}


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_old_path_warns_and_forwards(old: str, new: str) -> None:
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=re.escape(new)):
        alias = importlib.import_module(old)
    target = importlib.import_module(new)
    public = [n for n in vars(target) if not n.startswith("_") and callable(getattr(target, n))]
    assert public
    for name in public:
        assert getattr(alias, name) is getattr(target, name), name


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
    old_names = [re.escape(old) for old in MOVED]
    old_names += [re.escape(old.rsplit(".", 1)[0]) + r" import " + old.rsplit(".", 1)[1] + r"\b"
                  for old in MOVED]
    old_local = r"^\s*(from|import) (hostile|hostile_text|forensics_sets)\b"
    shims = {ROOT / (old.replace(".", "/") + ".py") for old in MOVED}
    bad = []
    for path in _repo_python():
        if path.name == "test_core_moves.py" or path in shims:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in [*old_names, old_local]:
            if re.search(pattern, text, re.MULTILINE):
                bad.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert bad == []
