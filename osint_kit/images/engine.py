"""Run one function over many files: in worker processes here, or on a Dask cluster.

``map_files(func, paths)`` is the engine behind :func:`osint_kit.images.scan.scan` and the
other per-file batch jobs (hashing, inspection). It guarantees what an investigator needs from
a batch over untrusted files:

* **one result per path, in input order** - whatever happened to the file;
* **a batch never dies on one file**: an exception inside ``func`` becomes
  ``on_error(path, exc)`` (default: a small dict with ``error``/``error_type``);
* **a per-file time limit**: a file that takes longer than ``timeout`` seconds becomes a
  :class:`~osint_kit.errors.ProcessingTimeoutError` result. On the local engine the worker
  process is killed and replaced, so even a hang inside C code (a decoder loop that never
  returns to Python) cannot stall the scan; a worker that *crashes* (segfault) gives a
  :class:`~osint_kit.errors.WorkerCrashedError` result for the file it was reading;
* **chunking**: files travel to workers in chunks and results come back one message per
  chunk, so inter-process overhead stays small; the worker reports the file it is on through
  shared memory (no message per file), which is how the parent knows which file hung.

Engines: ``"local"`` (default; worker processes on this machine, ``workers=0`` runs in this
process) and ``"dask"`` (``dask.bag`` over chunks, on the default ``distributed`` client, the
``client=`` you pass, or Dask's local process scheduler). Both give the same results.

``func`` is a module-level function or a ``"package.module:function"`` string: workers import
it by name, which works with every start method and on remote Dask workers. Paths may be fsspec
URLs (``s3://bucket/dir/a.jpg``) when the matching fsspec backend (e.g. ``s3fs``) is installed:
each file is copied to a temporary local file (read-only source) before ``func`` sees it.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import logging
import math
import multiprocessing as mp
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from osint_kit.errors import EngineError, ProcessingTimeoutError, WorkerCrashedError

log = logging.getLogger(__name__)

FuncSpec = Callable[..., Any] | str
ENGINES = ("local", "dask")

#: Files per chunk are chosen so each worker gets about this many chunks (load balance) ...
CHUNKS_PER_WORKER = 4
#: ... but never more than this many files in one chunk (bounded redo after a kill).
MAX_CHUNK = 256
#: How often (seconds) the parent checks deadlines when nothing else happens.
TICK = 0.25
#: A worker that dies this many times in a row without finishing a file stops the batch.
MAX_CONSECUTIVE_DEATHS = 5


# --- naming functions so that any process can import them ------------------------------------


def func_spec(func: FuncSpec) -> str | None:
    """``"module:qualname"`` for an importable function; None for lambdas and notebook code."""
    if isinstance(func, str):
        return func
    module = getattr(func, "__module__", None)
    qualname = getattr(func, "__qualname__", None)
    if not module or not qualname or module == "__main__" or "<" in qualname:
        return None
    return f"{module}:{qualname}"


@functools.lru_cache(maxsize=64)
def resolve(spec: str) -> Callable[..., Any]:
    """Import ``"package.module:function"`` (dots after the colon walk attributes)."""
    module_name, sep, qualname = spec.partition(":")
    if not sep or not qualname:
        raise ValueError(f"function spec {spec!r} must look like 'package.module:function'")
    obj: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not callable(obj):
        raise TypeError(f"{spec!r} is not callable")
    return obj  # type: ignore[no-any-return]


def _as_callable(func: FuncSpec) -> Callable[..., Any]:
    return resolve(func) if isinstance(func, str) else func


def default_on_error(path: str, exc: BaseException) -> dict[str, str]:
    """The default failure result: the path, the message and the exception's class name."""
    return {"path": path, "error": str(exc), "error_type": type(exc).__name__}


# --- one file ------------------------------------------------------------------------------------


def is_url(path: str) -> bool:
    """True for fsspec URLs such as ``s3://bucket/key`` (``file://`` counts as local)."""
    return "://" in path and not path.startswith("file://")


def _call_url(func: Callable[..., Any], url: str, args: tuple[Any, ...]) -> Any:
    """Copy a remote file to a private temp file, run ``func`` on it, report the URL as path."""
    import fsspec  # lazy: only for URL paths

    suffix = os.path.splitext(url)[1]
    tmpdir = tempfile.mkdtemp(prefix="osint_kit_")
    local = os.path.join(tmpdir, "evidence" + suffix)
    try:
        with fsspec.open(url, "rb") as src, open(local, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        result = func(local, *args)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return _replace_path(result, local, url)


def _replace_path(result: Any, local: str, url: str) -> Any:
    if isinstance(result, dict):
        out = dict(result)
        if out.get("path") == local:
            out["path"] = url
            if "file_name" in out:
                out["file_name"] = url.rstrip("/").rsplit("/", 1)[-1]
        return out
    if hasattr(result, "to_record") and hasattr(result, "path"):
        import dataclasses

        if dataclasses.is_dataclass(result) and not isinstance(result, type):
            changes: dict[str, Any] = {"path": url}
            if hasattr(result, "file_name"):
                changes["file_name"] = url.rstrip("/").rsplit("/", 1)[-1]
            return dataclasses.replace(result, **changes)
    if isinstance(result, tuple) and local in result:
        return tuple(url if v == local else v for v in result)
    return result


def call_one(
    func: Callable[..., Any],
    on_error: Callable[[str, BaseException], Any],
    path: str,
    args: tuple[Any, ...] = (),
) -> Any:
    """``func(path, *args)``, or ``on_error(path, exc)`` if it raises: never raises itself."""
    try:
        if is_url(path):
            return _call_url(func, path, args)
        return func(path, *args)
    except Exception as err:  # noqa: BLE001 - a batch must never die on one file
        return on_error(path, err)


def _timeout_error(path: str, timeout: float) -> ProcessingTimeoutError:
    return ProcessingTimeoutError(
        path,
        f"processing took longer than the {timeout:g} s per-file limit and was stopped; "
        "the file may be crafted to hang a decoder - inspect it in isolation, or raise timeout=",
    )


# --- the worker process --------------------------------------------------------------------------


def _worker_main(
    conn: Connection,
    state: Any,
    func: str | Callable[..., Any],
    args: tuple[Any, ...],
    on_error: str | Callable[..., Any],
    sys_path: list[str],
) -> None:
    """Loop: receive a chunk, process it file by file, send the chunk's results back.

    ``state`` is shared memory ``[index in chunk, monotonic start time of that file]``; the
    parent reads it to kill a worker that is stuck on one file.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    for p in reversed(sys_path):
        if p not in sys.path:
            sys.path.insert(0, p)
    fn = _as_callable(func)
    err_fn = _as_callable(on_error)
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            return
        out = []
        for k, path in enumerate(chunk):
            state[1] = time.monotonic()
            state[0] = k
            out.append(call_one(fn, err_fn, path, args))
        state[1] = 0.0
        try:
            conn.send(out)
        except Exception as err:  # noqa: BLE001 - an unpicklable result must not kill the batch
            conn.send([_picklable_or_error(err_fn, p, r, err) for p, r in zip(chunk, out, strict=True)])


def _picklable_or_error(on_error: Callable[..., Any], path: str, result: Any, err: Exception) -> Any:
    import pickle

    try:
        pickle.dumps(result)
    except Exception:  # noqa: BLE001
        return on_error(path, TypeError(f"result could not be sent between processes: {err}"))
    return result


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    state: Any
    chunk: list[tuple[int, str]] | None = None
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
    timeout: float | None = 30.0
    start_method: str | None = None
    preload: tuple[str, ...] = ()
    _workers: list[_Worker] = field(default_factory=list, repr=False)

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
            modules = [self._send_func.partition(":")[0], *self.preload]
            self._ctx.set_forkserver_preload(list(dict.fromkeys(modules)))
        self._err_fn = _as_callable(self.on_error)

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start_worker(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        state = self._ctx.RawArray("d", 2)
        proc = self._ctx.Process(
            target=_worker_main,
            args=(child, state, self._send_func, self.args, self._send_err, list(sys.path)),
            daemon=True,
            name="osint_kit-worker",
        )
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
        paths: Sequence[str],
        chunk_size: int | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Any]:
        """One result per path, in input order; ``on_progress(n)`` after each chunk."""
        n = len(paths)
        if n == 0:
            return []
        size = chunk_size or auto_chunk_size(n, self.workers)
        pending: deque[list[tuple[int, str]]] = deque(
            [list(enumerate(paths))[i : i + size] for i in range(0, n, size)]
        )
        results: list[Any] = [None] * n
        remaining = n
        while len(self._workers) < min(self.workers, len(pending)):
            self._workers.append(self._start_worker())
        try:
            while remaining:
                for w in self._workers:
                    if w.chunk is None and pending:
                        w.chunk = pending.popleft()
                        w.conn.send([p for _, p in w.chunk])
                busy = [w for w in self._workers if w.chunk is not None]
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

    def _check(
        self,
        w: _Worker,
        ready: set[Any],
        results: list[Any],
        pending: deque[list[tuple[int, str]]],
    ) -> int:
        """Collect a finished chunk, or handle a dead or stuck worker. Returns files settled."""
        chunk = w.chunk
        if chunk is None:
            return 0
        if w.conn in ready or w.conn.poll():
            try:
                out = w.conn.recv()
            except (EOFError, OSError):
                out = None
            if out is not None:
                for (idx, _), res in zip(chunk, out, strict=True):
                    results[idx] = res
                w.chunk = None
                w.deaths = 0
                return len(chunk)
        pos, started = int(w.state[0]), float(w.state[1])
        dead = not w.proc.is_alive()
        stuck = (
            self.timeout is not None
            and started > 0
            and time.monotonic() - started > self.timeout
        )
        if not dead and not stuck:
            return 0
        idx, path = chunk[pos] if started > 0 else (-1, "")
        if dead:
            code = w.proc.exitcode
            exc: Exception = WorkerCrashedError(
                path,
                f"the worker process died while reading this file (exit code {code}); a "
                "C library probably crashed on it - inspect it in isolation",
            )
            log.warning("worker died (exit code %s) on %s", code, path or "<between files>")
        else:
            exc = _timeout_error(path, self.timeout or 0.0)
            log.warning("killing worker stuck for more than %gs on %s", self.timeout, path)
        w.chunk = None
        w = self._replace(w)
        if idx < 0:  # died between files: nothing to blame, redo the whole chunk
            w.deaths += 1
            if w.deaths >= MAX_CONSECUTIVE_DEATHS:
                raise EngineError(
                    f"worker processes died {w.deaths} times in a row before finishing a file; "
                    "check that the function can be imported and the machine has free memory"
                )
            pending.appendleft(chunk)
            return 0
        results[idx] = self._err_fn(path, exc)
        rest = chunk[:pos] + chunk[pos + 1 :]
        if rest:
            pending.appendleft(rest)
        return 1


def auto_chunk_size(n: int, workers: int, max_chunk: int = MAX_CHUNK) -> int:
    """Files per chunk: ~CHUNKS_PER_WORKER chunks per worker, at most ``max_chunk``."""
    return max(1, min(max_chunk, math.ceil(n / max(1, workers * CHUNKS_PER_WORKER))))


def default_workers() -> int:
    """CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# --- in this process, with a thread watchdog (also what each Dask task runs) --------------------


@dataclass
class _ThreadRun:
    cond: threading.Condition = field(default_factory=threading.Condition)
    pos: int = 0
    started: float = 0.0
    out: list[Any] = field(default_factory=list)
    finished: bool = False
    abandoned: bool = False


def _thread_loop(
    run: _ThreadRun,
    fn: Callable[..., Any],
    err_fn: Callable[..., Any],
    paths: Sequence[str],
    start: int,
    args: tuple[Any, ...],
) -> None:
    for k in range(start, len(paths)):
        with run.cond:
            if run.abandoned:
                return
            run.pos, run.started = k, time.monotonic()
        res = call_one(fn, err_fn, paths[k], args)
        with run.cond:
            if run.abandoned:
                return
            run.out.append(res)
            run.cond.notify_all()
    with run.cond:
        run.finished = True
        run.cond.notify_all()


def run_chunk(
    func: FuncSpec,
    paths: Sequence[str],
    args: tuple[Any, ...] = (),
    on_error: FuncSpec = default_on_error,
    timeout: float | None = 30.0,
) -> list[Any]:
    """Process ``paths`` in this process, one file at a time, each within ``timeout`` s.

    The files run in a helper thread; a file that exceeds the limit is recorded as a timeout
    and the rest continue in a fresh thread. The stuck thread is abandoned (Python cannot kill
    a thread): it keeps a CPU busy until the call returns. Process-level kills are the local
    engine's job; this is what runs inside a Dask task, where workers must not be killed.
    """
    fn, err_fn = _as_callable(func), _as_callable(on_error)
    if timeout is None:
        return [call_one(fn, err_fn, p, args) for p in paths]
    results: list[Any] = []
    while len(results) < len(paths):
        start = len(results)
        run = _ThreadRun(pos=start, started=time.monotonic())
        t = threading.Thread(
            target=_thread_loop, args=(run, fn, err_fn, paths, start, args), daemon=True
        )
        t.start()
        with run.cond:
            while not run.finished:
                left = run.started + timeout - time.monotonic()
                if left <= 0 and run.pos - start == len(run.out):
                    run.abandoned = True
                    break
                run.cond.wait(max(left, 0.001))
            results.extend(run.out)
        if run.abandoned:
            results.append(err_fn(paths[len(results)], _timeout_error(paths[len(results)], timeout)))
    return results


# --- the front door ------------------------------------------------------------------------------


def map_files(
    func: FuncSpec,
    paths: Iterable[str],
    *,
    args: tuple[Any, ...] = (),
    on_error: FuncSpec = default_on_error,
    workers: int | None = None,
    engine: str = "local",
    timeout: float | None = 30.0,
    chunk_size: int | None = None,
    progress: bool = False,
    desc: str = "files",
    client: Any = None,
) -> list[Any]:
    """Apply ``func(path, *args)`` to every path; one result per path, in input order.

    ``engine="local"`` uses ``workers`` processes (default: the CPUs available; ``0`` runs in
    this process); ``engine="dask"`` runs chunks as Dask tasks on ``client`` (a
    ``distributed.Client``), else on the default client, else Dask's local processes.
    Failures become ``on_error(path, exc)``; ``timeout`` is the per-file limit in seconds.
    """
    path_list = [os.fspath(p) for p in paths]
    bar = _progress_bar(len(path_list), desc, progress)
    try:
        with FileMapper(func, args, on_error, workers, engine, timeout, client) as mapper:
            return mapper.map(path_list, chunk_size, bar.update)
    finally:
        bar.close()


@dataclass
class FileMapper:
    """The engine chosen once, reused for several batches (``scan_to_parquet`` parts).

    ``map(paths)`` gives one result per path in order; the local pool's workers stay alive
    between calls. Use as a context manager.
    """

    func: FuncSpec
    args: tuple[Any, ...] = ()
    on_error: FuncSpec = default_on_error
    workers: int | None = None
    engine: str = "local"
    timeout: float | None = 30.0
    client: Any = None
    preload: tuple[str, ...] = ()
    _pool: LocalPool | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {self.engine!r}")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError(f"timeout must be positive seconds or None, not {self.timeout!r}")
        if self.workers is not None and self.workers < 0:
            raise ValueError(f"workers must be >= 0, not {self.workers!r}")

    def __enter__(self) -> FileMapper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def map(
        self,
        paths: Sequence[str],
        chunk_size: int | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Any]:
        """One result per path, in input order."""
        if self.engine == "dask":
            return _map_dask(
                self.func, list(paths), self.args, self.on_error, self.timeout, chunk_size,
                self.client, self.workers, on_progress,
            )
        n_workers = default_workers() if self.workers is None else self.workers
        if n_workers == 0 or (len(paths) <= 1 and self._pool is None):
            out = run_chunk(self.func, paths, self.args, self.on_error, self.timeout)
            if on_progress is not None:
                on_progress(len(out))
            return out
        if self._pool is None:
            self._pool = LocalPool(
                self.func, self.args, self.on_error, n_workers, self.timeout, preload=self.preload
            )
        return self._pool.map(paths, chunk_size, on_progress)


class _NoBar:
    def update(self, n: int = 1) -> None:
        return None

    def close(self) -> None:
        return None


def _progress_bar(total: int, desc: str, enabled: bool) -> Any:
    """A tqdm bar that renders as a widget in Jupyter and as text in a terminal."""
    if not enabled:
        return _NoBar()
    from tqdm.auto import tqdm  # lazy: tqdm.auto may import ipywidgets

    return tqdm(total=total, desc=desc, unit="file", dynamic_ncols=True)


def _map_dask(
    func: FuncSpec,
    paths: list[str],
    args: tuple[Any, ...],
    on_error: FuncSpec,
    timeout: float | None,
    chunk_size: int | None,
    client: Any,
    workers: int | None,
    on_progress: Callable[[int], None] | None,
) -> list[Any]:
    """Chunks as a ``dask.bag``; each task runs :func:`run_chunk` (thread-guarded timeouts)."""
    if not paths:
        return []
    try:
        import dask.bag as db
    except ImportError as err:  # pragma: no cover - dask is an optional extra
        raise EngineError(
            "engine='dask' needs Dask: pip install 'osint-kit[dask]'"
        ) from err
    fspec, espec = func_spec(func), func_spec(on_error)
    # names travel better than pickled code (remote workers import osint_kit themselves)
    f_send: FuncSpec = fspec if fspec is not None else func
    e_send: FuncSpec = espec if espec is not None else on_error
    if client is None:
        client = _default_client()
    n_workers = workers or (_client_threads(client) if client is not None else default_workers())
    size = chunk_size or auto_chunk_size(len(paths), n_workers, max_chunk=1000)
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    bag = db.from_sequence(chunks, npartitions=len(chunks)).map(
        _run_chunk_task, f_send, args, e_send, timeout
    )
    if client is None:
        parts = bag.compute(scheduler="processes", num_workers=n_workers)
        if on_progress is not None:
            on_progress(len(paths))
        return [r for part in parts for r in part]
    from distributed import as_completed

    futures = client.compute(bag.to_delayed())
    index = {f.key: i for i, f in enumerate(futures)}
    out: list[list[Any] | None] = [None] * len(futures)
    for fut in as_completed(futures):
        part = fut.result()
        rows = [r for chunk_rows in part for r in chunk_rows]
        out[index[fut.key]] = rows
        if on_progress is not None:
            on_progress(len(rows))
    return [r for part in out for r in (part or [])]


def _run_chunk_task(
    chunk: list[str],
    func: FuncSpec,
    args: tuple[Any, ...],
    on_error: FuncSpec,
    timeout: float | None,
) -> list[Any]:
    return run_chunk(func, chunk, args, on_error, timeout)


def _default_client() -> Any:
    """The ``distributed`` client already created in this session, if any."""
    try:
        from distributed import default_client
    except ImportError:  # pragma: no cover
        return None
    try:
        return default_client()
    except ValueError:
        return None


def _client_threads(client: Any) -> int:
    try:
        return max(1, sum(client.nthreads().values()))
    except Exception:  # noqa: BLE001 - only a sizing hint
        return default_workers()
