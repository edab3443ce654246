"""Stand-ins for a C decoder that crashes or hangs, for the tests of isolated single-file
calls (not a test module itself: no ``test_`` prefix). A test points what the isolated worker
runs for a function (its private ``_target``, e.g. ``read_metadata._target``) at them: a
patch in the calling process cannot reach the worker's own copy of the module."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from osint_kit.errors import ProcessingTimeoutError, WorkerCrashedError

CRASHING = f"{__name__}:crashing"
HANGING = f"{__name__}:hanging"


def crashing(path: Any, *args: Any, **kwargs: Any) -> Any:
    """Stands in for a C decoder that segfaults on a crafted file."""
    os.kill(os.getpid(), signal.SIGSEGV)


def hanging(path: Any, *args: Any, **kwargs: Any) -> Any:
    """Stands in for a decoder stuck in C code (signals blocked, as in a C loop)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM, signal.SIGINT, signal.SIGTERM])
    time.sleep(20)


def assert_crash_and_hang_contained(monkeypatch: pytest.MonkeyPatch, func: Any,
                                    call: Callable[..., Any], path: Path) -> None:
    """``call(timeout=...)`` with the isolated ``func``'s worker body crashing, then hanging:
    each costs the typed error naming ``path``, and the stuck worker is killed, not waited
    for."""
    monkeypatch.setattr(func, "_target", CRASHING)
    with pytest.raises(WorkerCrashedError) as crashed:
        call(timeout=60.0)
    assert crashed.value.path == str(path) and "died" in crashed.value.reason
    monkeypatch.setattr(func, "_target", HANGING)
    start = time.monotonic()
    with pytest.raises(ProcessingTimeoutError) as hung:
        call(timeout=2.0)
    assert hung.value.path == str(path)
    assert time.monotonic() - start < 15
    monkeypatch.undo()
