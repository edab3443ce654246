"""Worker processes for the local engine: chunks out, results back, a watchdog that kills.

Used through :class:`osint_kit.runner.engine.FileMapper` / :func:`~osint_kit.runner.engine.map_files`;
see the engine module for the guarantees. Pools for functions named by import path are kept
warm between calls (:func:`shutdown_pools` stops them).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import math
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from osint_kit.errors import EngineError, WorkerCrashedError
from osint_kit.runner.engine import (
    DEFAULT_TIMEOUT,
    MAX_CHUNK,
    FuncSpec,
    _as_callable,
    _timeout_error,
    call_one,
    default_on_error,
    func_spec,
    resolve,
    subject_of,
)

log = logging.getLogger(__name__)

#: How often (seconds) the parent checks deadlines when nothing else happens.
TICK = 0.25
#: A worker that dies this many times in a row without finishing a file stops the batch.
MAX_CONSECUTIVE_DEATHS = 5
#: Chunks sent to a worker ahead of its answers (one being read, one waiting in the pipe).
PREFETCH = 2
#: An idle worker of a kept pool exits after this many seconds without work (memory back).
IDLE_EXIT = 300.0


# --- the worker process --------------------------------------------------------------------------


def _worker_main(
    conn: Connection,
    state: Any,
    func: str | Callable[..., Any],
    args: tuple[Any, ...],
    on_error: str | Callable[..., Any],
    sys_path: list[str],
    die_with_parent: bool = True,
) -> None:
    """Loop: receive a chunk, process it file by file, send the chunk's results back.

    The worker dies with its parent (:func:`_die_with_parent`), even while a file keeps it
    busy in C code, so a killed notebook kernel leaves no worker spinning at 100 % CPU.

    ``state`` is shared memory ``[index in chunk, monotonic start time of that file, chunk
    serial]``; the parent reads it to kill a worker that is stuck on one file. Chunks arrive
    as ``(serial, paths)`` and go back as ``(serial, results)``, in order.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    if die_with_parent:
        _die_with_parent()
    for p in reversed(sys_path):
        if p not in sys.path:
            sys.path.insert(0, p)
    fn = _as_callable(func)
    err_fn = _as_callable(on_error)
    while True:
        try:
            if not conn.poll(IDLE_EXIT):
                return  # idle for long: give the memory back; the parent starts a new one
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        serial, chunk = chunk
        state[2] = serial  # serial, then index, then time: the parent reads them backwards
        out = []
        for k, path in enumerate(chunk):
            state[0] = k  # index first, then the time: the parent reads them the other way
            state[1] = time.monotonic()
            out.append(call_one(fn, err_fn, path, args))
        state[1] = 0.0
        try:
            conn.send((serial, out))
        except Exception as err:  # noqa: BLE001 - an unpicklable result must not kill the batch
            conn.send((serial, [_picklable_or_error(err_fn, p, r, err)
                                for p, r in zip(chunk, out, strict=True)]))


#: prctl option: the signal the kernel sends this process when its parent thread exits.
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask the kernel to SIGKILL this worker when its parent exits (Linux; elsewhere nothing).

    The parent is the forkserver (which exits when the process that uses the pool dies) or,
    for ``fork``/``spawn`` workers started from the main thread, that process itself. A signal
    from the kernel needs no help from Python: it works while the worker is stuck in a C loop
    that never releases the GIL, where a watchdog thread could not run. If the parent dies
    while this runs (the worker is adopted: another parent pid), the worker exits at once.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    _release_forkserver()
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no usable libc
        return
    if os.getppid() != parent:
        os._exit(1)


def _release_forkserver() -> None:
    """Let the forkserver this worker came from exit when the process that uses it dies.

    Each forkserver child inherits the write end of the pipe on which the forkserver waits for
    its user to be gone (so the child could start processes through it too). While a worker
    holds it, the forkserver - the worker's parent - outlives a killed user, and the
    parent-death signal never comes. Workers start no processes (:func:`in_worker`): close it.
    """
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(fd, int) and mp.current_process().daemon:
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


def _picklable_or_error(on_error: Callable[..., Any], path: str, result: Any, err: Exception) -> Any:
    import pickle

    try:
        pickle.dumps(result)
    except Exception:  # noqa: BLE001
        return on_error(path, TypeError(f"result could not be sent between processes: {err}"))
    return result


@contextlib.contextmanager
def _main_hidden(applies: bool) -> Iterator[None]:
    """Start workers without re-running the parent's ``__main__``.

    A new ``forkserver``/``spawn`` process first re-runs the parent's main script (from
    ``__main__.__file__``, or the module of ``python -m``): a script that calls ``scan()``
    without an ``if __name__ == "__main__":`` guard would start a scan in every worker (each
    dies and the batch stops), and a script read from stdin (``python -``) cannot be re-run
    at all. Workers import their function by name and never need ``__main__``, so its file
    and spec are hidden while a worker starts and put back at once."""
    main = sys.modules.get("__main__")
    if not applies or main is None:
        yield
        return
    saved: dict[str, Any] = {k: main.__dict__[k] for k in ("__file__", "__spec__")
                             if k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    state: Any
    #: chunks sent and not yet answered, oldest first, as (serial, [(index, path), ...])
    inflight: deque[tuple[int, list[tuple[int, str]]]] = field(default_factory=deque)
    deaths: int = 0


@dataclass
class LocalPool:
    """Worker processes that run ``func(path, *args)`` over chunks of files, with watchdog.

    Reusable across several :meth:`map` calls (``scan_to_parquet`` maps one part at a time
    over the same pool). Use as a context manager, or call :meth:`close`.
    """

    func: FuncSpec
    args: tuple[Any, ...] = ()
    on_error: FuncSpec = default_on_error
    workers: int = 2
    timeout: float | None = DEFAULT_TIMEOUT
    start_method: str | None = None
    preload: tuple[str, ...] = ()
    _workers: list[_Worker] = field(default_factory=list, repr=False)
    _serial: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        fspec, espec = func_spec(self.func), func_spec(self.on_error)
        method = self.start_method
        if fspec is None or espec is None:
            # notebook functions and closures cannot be imported by name in a fresh process
            method = "fork"
            self._send_func: FuncSpec = self.func
            self._send_err: FuncSpec = self.on_error
        else:
            resolve(fspec)  # fail here, with a clear ImportError, not in every worker
            resolve(espec)
            self._send_func, self._send_err = fspec, espec
        if method is None:
            method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        self._ctx: Any = mp.get_context(method)
        if method == "forkserver" and isinstance(self._send_func, str):
            # workers fork from a server that has already imported the readers
            modules = [__name__, self._send_func.partition(":")[0], *self.preload]
            self._ctx.set_forkserver_preload(list(dict.fromkeys(modules)))
        self._err_fn = _as_callable(self.on_error)

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start_worker(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        state = self._ctx.RawArray("d", 3)
        proc = self._ctx.Process(
            target=_worker_main,
            # the kernel's parent-death signal follows the *thread* that forked: only ask
            # for it when that thread lives as long as the process (forkserver, main thread)
            args=(child, state, self._send_func, self.args, self._send_err, list(sys.path),
                  self._ctx.get_start_method() == "forkserver"
                  or threading.current_thread() is threading.main_thread()),
            daemon=True,
            name="osint_kit-worker",
        )
        by_name = all(isinstance(f, str) and not f.startswith("__main__:")
                      for f in (self._send_func, self._send_err))
        with _main_hidden(self._ctx.get_start_method() != "fork" and by_name):
            proc.start()
        child.close()
        return _Worker(proc=proc, conn=parent, state=state)

    def _replace(self, w: _Worker) -> _Worker:
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join(5)
        w.conn.close()
        new = self._start_worker()
        new.deaths = w.deaths
        self._workers[self._workers.index(w)] = new
        return new

    def close(self) -> None:
        """Stop the worker processes (politely, then by force)."""
        for w in self._workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        for w in self._workers:
            w.proc.join(2)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(2)
            w.conn.close()
        self._workers.clear()

    def map(
        self,
        paths: Sequence[Any],
        chunk_size: int | None = None,
        on_progress: Callable[[int], None] | None = None,
        timeout: float | str | None = "pool",
    ) -> list[Any]:
        """One result per path, in input order; ``on_progress(n)`` after each chunk.

        ``timeout`` overrides the pool's per-file limit for this call.
        """
        n = len(paths)
        if n == 0:
            return []
        if timeout != "pool":
            self.timeout = timeout  # type: ignore[assignment]
        for w in list(self._workers):  # workers that left after IDLE_EXIT seconds
            if not w.proc.is_alive():
                w.proc.join(1)
                w.conn.close()
                self._workers.remove(w)
        items = list(enumerate(paths))
        # chunks redone after a kill go first; fresh chunks are cut from ``todo`` as workers
        # free up, fixed at ``chunk_size`` when given, else shrinking with what is left
        # ("guided" scheduling), so that the workers finish together instead of one
        # waiting while the other reads a last large chunk
        pending: deque[list[tuple[int, str]]] = deque()
        todo: deque[tuple[int, str]] = deque(items)
        results: list[Any] = [None] * n
        remaining = n

        def next_chunk() -> list[tuple[int, str]] | None:
            if pending:
                return pending.popleft()
            if not todo:
                return None
            size = chunk_size or min(MAX_CHUNK, math.ceil(len(todo) / (2 * self.workers)))
            return [todo.popleft() for _ in range(min(size, len(todo)))]

        while len(self._workers) < min(self.workers, n):
            self._workers.append(self._start_worker())
        try:
            while remaining:
                for w in self._workers:
                    # a second chunk waits in the pipe, so the worker never sits idle while
                    # its answer travels back and the next chunk comes out
                    while len(w.inflight) < PREFETCH and (pending or todo):
                        chunk = next_chunk()
                        assert chunk is not None
                        self._serial += 1
                        w.inflight.append((self._serial, chunk))
                        try:
                            w.conn.send((self._serial, [p for _, p in chunk]))
                        except OSError:  # it just exited: _check sees it dead and redoes
                            log.debug("worker gone before its chunk was sent")
                            break
                busy = [w for w in self._workers if w.inflight]
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], TICK))
                for w in busy:
                    done = self._check(w, ready, results, pending)
                    if done:
                        remaining -= done
                        if on_progress is not None:
                            on_progress(done)
        except BaseException:
            self.close()  # do not leave workers busy on a batch nobody waits for
            raise
        return results

    def _collect(self, w: _Worker, results: list[Any]) -> int | None:
        """Take one answered chunk from the pipe; None at end of file (the worker is gone)."""
        try:
            serial, out = w.conn.recv()
        except (EOFError, OSError):
            return None
        sent, chunk = w.inflight.popleft()
        if sent != serial:  # pragma: no cover - the pipe keeps order; a bug if this happens
            raise EngineError(f"worker answered chunk {serial} while {sent} was expected")
        for (idx, _), res in zip(chunk, out, strict=True):
            results[idx] = res
        w.deaths = 0
        return len(chunk)

    def _check(
        self,
        w: _Worker,
        ready: set[Any],
        results: list[Any],
        pending: deque[list[tuple[int, str]]],
    ) -> int:
        """Collect an answered chunk, or handle a dead or stuck worker. Returns files settled."""
        if not w.inflight:
            return 0
        if w.conn in ready or w.conn.poll():
            got = self._collect(w, results)
            if got is not None:
                return got
        started = float(w.state[1])  # 0 = between files
        pos = int(w.state[0])
        serial = int(w.state[2])
        dead = not w.proc.is_alive()
        stuck = (
            self.timeout is not None
            and started > 0
            and time.monotonic() - started > self.timeout
        )
        if not dead and not stuck:
            return 0
        if w.conn.poll():  # answered just now: collect first, judge on the next round
            got = self._collect(w, results)
            if got is not None:
                return got
        # earlier chunks are answered, so the worker was on the oldest one in flight
        current, chunk = w.inflight[0]
        on_file = started > 0 and serial == current
        pos = min(pos, len(chunk) - 1)
        idx, path = chunk[pos] if on_file else (-1, "")
        if dead:
            code = w.proc.exitcode
            exc: Exception = WorkerCrashedError(
                subject_of(path),
                f"the worker process died while reading this file (exit code {code}); a "
                "C library probably crashed on it - inspect it in isolation",
            )
            log.warning("worker died (exit code %s) on %s", code,
                        subject_of(path) or "<between files>")
        else:
            exc = _timeout_error(path, self.timeout or 0.0)
            log.warning("killing worker stuck for more than %gs on %s", self.timeout,
                        subject_of(path))
        later = [c for _, c in list(w.inflight)[1:]]
        w.inflight.clear()
        w = self._replace(w)
        if idx < 0:  # died between files: nothing to blame, redo its chunks
            w.deaths += 1
            if w.deaths >= MAX_CONSECUTIVE_DEATHS:
                raise EngineError(
                    f"worker processes died {w.deaths} times in a row before finishing a file; "
                    "check that the function can be imported and the machine has free memory"
                )
            pending.extendleft(reversed([chunk, *later]))
            return 0
        results[idx] = self._err_fn(path, exc)
        rest = chunk[:pos] + chunk[pos + 1 :]
        pending.extendleft(reversed([rest, *later] if rest else later))
        return 1


# --- pools kept warm between calls ------------------------------------------------------------

_KEPT: dict[tuple[Any, ...], tuple[LocalPool, threading.Lock]] = {}
_KEPT_LOCK = threading.Lock()


def _get_pool(
    func: FuncSpec,
    args: tuple[Any, ...],
    on_error: FuncSpec,
    workers: int,
    preload: tuple[str, ...],
    keep: bool,
) -> tuple[LocalPool, threading.Lock | None]:
    """A warm pool kept from an earlier call with the same function, or a private new one.

    Starting workers costs a few hundred milliseconds; a notebook that scans folder after
    folder reuses them. Kept workers exit by themselves after ``IDLE_EXIT`` idle seconds.
    Pools are only kept for functions named by import path, and one batch at a time uses a
    kept pool (a second, concurrent batch gets a private pool).
    """
    fspec, espec = func_spec(func), func_spec(on_error)
    key = (os.getpid(), fspec, args, espec, workers, preload)
    try:
        hash(key)
    except TypeError:
        keep = False
    if keep and fspec is not None and espec is not None:
        with _KEPT_LOCK:
            if key not in _KEPT:
                if not _KEPT:
                    atexit.register(shutdown_pools)
                _KEPT[key] = (LocalPool(fspec, args, espec, workers, preload=preload),
                              threading.Lock())
            pool, lock = _KEPT[key]
        if lock.acquire(blocking=False):
            return pool, lock
    return LocalPool(func, args, on_error, workers, preload=preload), None


def shutdown_pools() -> None:
    """Stop the worker processes kept warm between calls (also runs at interpreter exit)."""
    with _KEPT_LOCK:
        kept = list(_KEPT.values())
        _KEPT.clear()
    for pool, lock in kept:
        if lock.acquire(timeout=5):
            try:
                pool.close()
            finally:
                lock.release()
