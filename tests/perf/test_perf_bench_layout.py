"""benchmarks/bench_layout.py: the old layout comes from git, or the bench says why not."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_layout",
                                                  ROOT / "benchmarks" / "bench_layout.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_outside_a_git_checkout_the_bench_is_skipped_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench()
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    [row] = bench.run("quick")
    assert row["ratio"] is None
    assert row["note"].startswith("skipped: ") and "not a git checkout" in row["note"]


def test_old_layout_is_extracted_from_git(tmp_path: Path) -> None:
    bench = _bench()
    has_commit = subprocess.run(["git", "cat-file", "-e", f"{bench.OLD_COMMIT}^{{commit}}"],
                                cwd=ROOT, capture_output=True, check=False).returncode == 0
    if not has_commit:
        pytest.skip(f"commit {bench.OLD_COMMIT} not in this clone (a user's shallow clone)")
    assert bench.old_tree(tmp_path) is None
    assert (tmp_path / "osint_kit" / "images" / "scan.py").is_file()  # the layout before
    assert not (tmp_path / "osint_kit" / "media").exists()
