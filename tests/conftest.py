"""Suite-wide guards: no network, evidence untouched, shared material located.

* In-process sockets are disabled by pytest-socket (see ``addopts`` in pyproject.toml);
  tests that need loopback (Dask, JupyterLab) are marked ``enable_socket`` and still may only
  reach 127.0.0.1.
* Every subprocess gets ``tests/netguard`` on PYTHONPATH: its sitecustomize refuses and logs
  any non-loopback connection; the session fails if the log is not empty.
* SHA-256 of every file under ``examples/`` and ``../shared/corpora`` is recorded at start and
  compared at the end; any change fails the run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CAMERA_SAMPLES = SHARED / "corpora" / "camera-samples"
CASE_DIR = SHARED / "case"
NETLOG = ROOT / "build" / "test-netlog.txt"

# CI gates on a fixed set of Hypothesis examples (a run is reproducible and cannot go red by
# chance); exploration with fresh random examples is `make fuzz` and local runs.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

_GUARDED = [ROOT / "examples", SHARED / "corpora", SHARED / "case"]


def _hash_tree(roots: list[Path]) -> dict[str, str]:
    out: dict[str, str] = {}
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts:
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def pytest_configure(config: pytest.Config) -> None:
    NETLOG.parent.mkdir(parents=True, exist_ok=True)
    NETLOG.write_text("", encoding="utf-8")
    guard = str(ROOT / "tests" / "netguard")
    old = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = guard + (os.pathsep + old if old else "")
    os.environ["OSINT_KIT_NETLOG"] = str(NETLOG)
    os.environ.setdefault("MPLBACKEND", "Agg")
    config.stash[_HASHES] = _hash_tree(_GUARDED)


_HASHES = pytest.StashKey[dict[str, str]]()


_LOOPBACK = ["127.0.0.1", "::1"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Sockets are off by default; tests that need them get loopback only, never more.

    ``enable_socket`` would open every address, so it is rewritten here into
    ``allow_hosts(loopback)``: a test can talk to a local Dask scheduler or JupyterLab, and a
    connection anywhere else fails before a packet leaves.
    """
    for item in items:
        if item.nodeid.endswith(".ipynb") or type(item).__name__ == "NotebookItem":
            item.add_marker(pytest.mark.notebook)
            item.add_marker(pytest.mark.allow_hosts(_LOOPBACK))
        if item.get_closest_marker("enable_socket"):
            for node in item.listchain():
                node.own_markers[:] = [m for m in node.own_markers if m.name != "enable_socket"]
            item.add_marker(pytest.mark.allow_hosts(_LOOPBACK))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_HASHES, None)
    if before is None:
        return
    after = _hash_tree(_GUARDED)
    changed = sorted(p for p in before if after.get(p) != before[p])
    added = sorted(set(after) - set(before))
    problems = []
    if changed:
        problems.append(f"evidence files changed or removed during the suite: {changed[:20]}")
    if added:
        problems.append(f"files appeared in evidence folders during the suite: {added[:20]}")
    attempts = NETLOG.read_text(encoding="utf-8").strip() if NETLOG.exists() else ""
    if attempts:
        problems.append(f"subprocesses tried to reach the network:\n{attempts[:2000]}")
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for msg in problems:
            if reporter:
                reporter.write_line(f"INTEGRITY FAILURE: {msg}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    else:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line(
                f"evidence check: {len(before)} files byte-identical after the suite; "
                "no network attempts from subprocesses"
            )


@pytest.fixture(scope="session")
def camera_samples() -> Path:
    """The real camera images from ../shared; skip clearly where a clone has none."""
    if not CAMERA_SAMPLES.exists():
        pytest.skip(f"real camera samples not found at {CAMERA_SAMPLES} (only in the dev setup)")
    return CAMERA_SAMPLES


@pytest.fixture(scope="session")
def case_dir() -> Path:
    if not CASE_DIR.exists():
        pytest.skip(f"case material not found at {CASE_DIR} (only in the dev setup)")
    return CASE_DIR


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    """A 2-process Dask LocalCluster on 127.0.0.1 (no dashboard), shared by the engine tests."""
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=40,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture
def tmp_evidence(tmp_path: Path) -> Path:
    """A scratch folder for generated evidence files."""
    d = tmp_path / "evidence"
    d.mkdir()
    return d
