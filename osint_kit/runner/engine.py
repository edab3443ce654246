"""Run one function over many files: in worker processes here, or on a Dask cluster.

``map_files(func, paths)`` is the engine behind :func:`osint_kit.media.scan.scan` and the
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
  chunk, so inter-process overhead stays small; chunks shrink as the batch drains (guided
  scheduling, so workers finish together) and each worker has its next chunk waiting in the
  pipe; the worker reports the file it is on through shared memory (no message per file),
  which is how the parent knows which file hung;
* **warm workers**: the local pool is kept between calls with the same function (workers
  start from a ``forkserver`` that has already imported the readers, and exit after
  ``IDLE_EXIT`` idle seconds); :func:`shutdown_pools` stops them.

Engines: ``"local"`` (default; worker processes on this machine, ``workers=0`` runs in this
process) and ``"dask"`` (``dask.bag`` over chunks, on the default ``distributed`` client, the
``client=`` you pass, or Dask's local process scheduler). Both give the same results.

``func`` is a module-level function or a ``"package.module:function"`` string: workers import
it by name, which works with every start method and on remote Dask workers. Paths may be fsspec
URLs (``s3://bucket/dir/a.jpg``) when the matching fsspec backend (e.g. ``s3fs``) is installed:
each file is copied to a temporary local file (read-only source) before ``func`` sees it.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import logging
import math
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from osint_kit.errors import (
    EngineError,
    EvidenceError,
    ProcessingTimeoutError,
)

log = logging.getLogger(__name__)

FuncSpec = Callable[..., Any] | str
ENGINES = ("local", "dask")

#: Files per chunk are chosen so each worker gets about this many chunks (load balance) ...
CHUNKS_PER_WORKER = 4
#: ... but never more than this many files in one chunk (bounded redo after a kill).
MAX_CHUNK = 256
#: The per-file (batches) and per-call (isolated calls) time limit in seconds, unless given.
DEFAULT_TIMEOUT = 60.0


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

    tmpdir = tempfile.mkdtemp(prefix="osint_kit_")
    local = os.path.join(tmpdir, url.rstrip("/").rsplit("/", 1)[-1] or "evidence")
    try:
        with fsspec.open(url, "rb") as src, open(local, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        try:
            result = func(local, *args)
        except EvidenceError as err:  # name the URL, not the temporary copy
            raise type(err)(url, err.reason) from err
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return _replace_path(result, local, url)


def _replace_path(result: Any, local: str, url: str) -> Any:
    """Put the URL where the reader reported the temporary copy's path."""
    if isinstance(result, dict):
        return {k: (url if v == local else v) for k, v in result.items()}
    if isinstance(result, tuple):
        return tuple(url if v == local else v for v in result)
    is_record = dataclasses.is_dataclass(result) and not isinstance(result, type)
    if is_record and getattr(result, "path", None) == local:
        return dataclasses.replace(result, path=url)  # type: ignore[type-var]
    return result


def call_one(
    func: Callable[..., Any],
    on_error: Callable[[str, BaseException], Any],
    path: str,
    args: tuple[Any, ...] = (),
) -> Any:
    """``func(path, *args)``, or ``on_error(path, exc)`` if it raises: never raises itself."""
    try:
        if isinstance(path, str) and is_url(path):
            return _call_url(func, path, args)
        return func(path, *args)
    except Exception as err:  # noqa: BLE001 - a batch must never die on one file
        return on_error(path, err)


def subject_of(item: Any) -> str:
    """The file a work item stands for: the path itself, or an item's ``subject`` (an
    isolated call, :class:`osint_kit.runner.isolation.Call`)."""
    return item if isinstance(item, str) else str(getattr(item, "subject", item))


def _timeout_error(path: Any, timeout: float) -> ProcessingTimeoutError:
    return ProcessingTimeoutError(
        subject_of(path),
        f"processing took longer than the {timeout:g} s per-file limit and was stopped; "
        "the file may be crafted to hang a decoder - inspect it in isolation, or raise timeout=",
    )


def shutdown_pools() -> None:
    """Stop the worker processes kept warm between calls (also runs at interpreter exit)."""
    from osint_kit.runner import _pool

    _pool.shutdown_pools()


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
    timeout: float | None = DEFAULT_TIMEOUT,
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


# --- workers ---------------------------------------------------------------------------------------


def in_worker() -> bool:
    """True inside a worker process (local pool or Dask), which may not start processes."""
    import multiprocessing

    return bool(multiprocessing.current_process().daemon)


# --- the front door ------------------------------------------------------------------------------


def map_files(
    func: FuncSpec,
    paths: Iterable[str],
    *,
    args: tuple[Any, ...] = (),
    on_error: FuncSpec = default_on_error,
    workers: int | None = None,
    engine: str = "local",
    timeout: float | None = DEFAULT_TIMEOUT,
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
    timeout: float | None = DEFAULT_TIMEOUT
    client: Any = None
    preload: tuple[str, ...] = ()
    keep_pool: bool = True
    _pool: Any = field(default=None, repr=False)
    _shared_lock: Any = field(default=None, repr=False)

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
        """Release the pool: a kept pool stays warm for the next call, a private one stops."""
        if self._pool is not None:
            if self._shared_lock is not None:
                self._shared_lock.release()
                self._shared_lock = None
            else:
                self._pool.close()
            self._pool = None

    def map(
        self,
        paths: Sequence[Any],
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
        if n_workers == 0:  # asked for this process: no isolation, a watchdog thread
            out = run_chunk(self.func, paths, self.args, self.on_error, self.timeout)
            if on_progress is not None:
                on_progress(len(out))
            return out
        if self._pool is None:
            from osint_kit.runner._pool import _get_pool

            self._pool, self._shared_lock = _get_pool(
                self.func, self.args, self.on_error, n_workers, self.preload, self.keep_pool
            )
        return self._pool.map(paths, chunk_size, on_progress, timeout=self.timeout)


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
