"""An isolated worker dies with the process that uses it (issue 19 item 13).

A child Python process runs an ``@isolated`` function (``osint_kit.runner.isolated``) that
spins forever (a decoder stuck in a loop); the test kills that process with SIGKILL (as when a
notebook kernel is killed) and checks that the worker goes too. Before, it kept one CPU at
100 % until it was found and killed by hand.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MODULE = Path(__file__).stem

CALLER = """
import sys
sys.path[:0] = [{root!r}, {here!r}]
from osint_kit.runner import isolated
import {module} as t
isolated(t.spin)({pidfile!r}, timeout=None)
"""


def spin(path: str) -> None:
    """Stands in for a decoder stuck in a loop: write this worker's pid, then burn CPU."""
    Path(path).write_text(str(os.getpid()), encoding="utf-8")
    while True:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (dead, not yet reaped by its parent) counts as gone
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
@pytest.mark.timeout(120)
def test_isolated_worker_dies_with_its_caller(tmp_path: Path) -> None:
    pidfile = tmp_path / "worker.pid"
    code = CALLER.format(root=str(ROOT), here=str(HERE), module=MODULE, pidfile=str(pidfile))
    caller = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path)
    worker = 0
    try:
        for _ in range(600):  # the worker starts (a forkserver first): up to a minute here
            if pidfile.exists() and pidfile.read_text(encoding="utf-8"):
                worker = int(pidfile.read_text(encoding="utf-8"))
                break
            assert caller.poll() is None, "the caller ended before the worker started"
            time.sleep(0.1)
        assert worker and _alive(worker)
        caller.send_signal(signal.SIGKILL)
        caller.wait(30)
        for _ in range(100):  # the kernel kills it at once; allow for a slow machine
            if not _alive(worker):
                break
            time.sleep(0.1)
        survived = _alive(worker)
    finally:
        if caller.poll() is None:
            caller.kill()
        if worker and _alive(worker):  # never leave it spinning, even when the test fails
            os.kill(worker, signal.SIGKILL)
    assert not survived, "the isolated worker kept running after its caller was killed"
