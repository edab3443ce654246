"""Stand-ins for a C decoder that crashes or hangs, for tests of isolated calls and batches.

Worker processes import what they run by name (``"osint_kit.testing.stand_ins:sleepy_reader"``),
so these live in an importable module, not in a test file reached through ``sys.path``.

- ``crashing`` / ``hanging`` (names :data:`CRASHING`, :data:`HANGING`): what an isolated
  function's worker runs in place of its private ``_target`` (a patch in the calling process
  cannot reach the worker's own copy of the module); :func:`assert_crash_and_hang_contained`
  checks both cost the typed error.
- ``sleepy_reader`` / ``crashing_reader`` / ``counting_reader`` / ``pid_of``: scan readers
  that hang, crash, log their calls or tell which process ran them.
- ``read_and_hash``: a scan reader that only reads the file and takes its SHA-256, no
  parsing (the scan benchmark's floor: the ceiling any metadata parser could reach).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osint_kit._io import digests, read_evidence
from osint_kit.errors import ProcessingTimeoutError, WorkerCrashedError
from osint_kit.media.read.metadata import read_metadata

if TYPE_CHECKING:
    import pytest

CRASHING = f"{__name__}:crashing"
HANGING = f"{__name__}:hanging"

#: ``counting_reader`` logs to this file in the folder that holds the ``corpus`` folder
#: (workers fork from a server started earlier, so an environment variable would not reach them).
CALL_LOG = "calls.log"


def _block_signals_and_sleep() -> None:
    """Like a decoder stuck in C code: signals blocked, no progress."""
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM, signal.SIGINT, signal.SIGTERM])
    time.sleep(20)


def crashing(path: Any, *args: Any, **kwargs: Any) -> Any:
    """Stands in for a C decoder that segfaults on a crafted file."""
    os.kill(os.getpid(), signal.SIGSEGV)


def hanging(path: Any, *args: Any, **kwargs: Any) -> Any:
    """Stands in for a decoder stuck in C code (signals blocked, as in a C loop)."""
    _block_signals_and_sleep()


def assert_crash_and_hang_contained(monkeypatch: pytest.MonkeyPatch, func: Any,
                                    call: Callable[..., Any], path: str | Path) -> None:
    """``call(timeout=...)`` with the isolated ``func``'s worker body crashing, then hanging:
    each costs the typed error naming ``path``, and the stuck worker is killed, not waited
    for."""
    import pytest  # a test helper: pytest is a test dependency, not the kit's

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


def sleepy_reader(path: str) -> Any:
    """Hangs on files named ``*hang*`` with signals blocked, like a stuck C decoder."""
    if "hang" in os.path.basename(path):
        _block_signals_and_sleep()
    return read_metadata(path, md5=False, raw=False)  # as the default scan reader does


def crashing_reader(path: str) -> Any:
    """Kills its own process on files named ``*crash*``, like a segfaulting decoder."""
    if "crash" in os.path.basename(path):
        os._exit(139)
    return read_metadata(path, md5=False, raw=False)  # as the default scan reader does


def counting_reader(path: str) -> Any:
    """read_metadata that logs each call to ``<folder holding 'corpus'>/calls.log``."""
    parts = Path(path).parts
    if "corpus" in parts:
        log = Path(*parts[: parts.index("corpus")]) / CALL_LOG
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(path + "\n")
    return read_metadata(path, md5=False, raw=False)  # as the default scan reader does


def pid_of(path: str) -> int:
    """The worker's process id (to see which process handled a file)."""
    return os.getpid()


def read_and_hash(path: str) -> dict[str, object]:
    """Only what every scan must do whatever its parser: read the file once, read-only, and
    take its SHA-256."""
    data = read_evidence(path)
    return {"path": path, "file_size": len(data), "sha256": digests(data)[0]}
