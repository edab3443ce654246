"""Crash isolation as one boundary: ``@isolated`` on every function that decodes untrusted bytes.

Image decoders (libjpeg, libwebp, libheif), the C2PA reader (Rust) and HTML parsers (libxml2)
are native code: a crafted file can crash one (a segfault kills the process) or make it loop
without ever returning to Python. A decorated function therefore runs in a worker process kept
warm between calls, never in the caller's (the notebook's kernel)::

    @isolated(timeout=60.0)
    def read_metadata(path, *, md5=True, raw=True) -> ImageMetadata: ...

    read_metadata(p)                      # in the warm worker; its exception raised here
    read_metadata(p, timeout=5)           # this call's time limit (the decorator consumes it)
    read_metadata.with_timeout(5)(p)      # the same, for type checkers
    read_metadata.here(p)                 # in this process, no time limit (tests, fuzzers)

* Arguments and results travel pickled (a path, an ``ImageMetadata``, a scan row as a dict or
  pandas Series, raw bytes), so the worker sees what the caller passed. The worker runs in the
  caller's current directory, so a relative path means the same file there.
* A decoder that crashes raises :class:`~osint_kit.errors.WorkerCrashedError`, one that hangs
  :class:`~osint_kit.errors.ProcessingTimeoutError` after the time limit; the worker is killed
  and replaced, and the error names the *subject* of the call: the path of a path argument,
  a record's ``.path`` or a row's ``"path"`` (or what ``subject=`` returns).
* Inside a worker (:func:`~osint_kit.runner.engine.in_worker`: a scan's or this boundary's),
  and inside a ``.here`` call, a decorated function runs directly: nested decorated calls
  cost nothing and never start a second worker. ``.here`` is the only in-process form.
* One worker serves every isolated call; it dies with the process that uses it and exits
  after :data:`~osint_kit.runner._pool.IDLE_EXIT` idle seconds. The first call starts it (a
  forkserver that has imported Pillow and the modules of the decorated functions registered
  so far), later calls cost about a millisecond.

Batch functions (``scan``, ``inspect_scan``, ``perceptual_hashes``) do not use this boundary:
their worker pool is their isolation (:func:`~osint_kit.runner.engine.map_files`).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar, overload

from osint_kit.runner.engine import DEFAULT_TIMEOUT, FileMapper, in_worker, resolve

P = ParamSpec("P")
R = TypeVar("R")

#: Imported by the forkserver the isolated worker starts from, before the registered modules.
BASE_PRELOAD = ("PIL.Image", "PIL.JpegImagePlugin", "PIL.PngImagePlugin")
#: Modules that define decorated functions, in the order they were imported (the preload).
REGISTERED: dict[str, None] = {}

_HERE: contextvars.ContextVar[bool] = contextvars.ContextVar("osint_kit_here", default=False)
_UNSET: Any = object()


@contextlib.contextmanager
def running_here() -> Iterator[None]:
    """Decorated functions called inside this block run in this process (what ``.here`` does)."""
    token = _HERE.set(True)
    try:
        yield
    finally:
        _HERE.reset(token)


def default_subject(*args: Any, **kwargs: Any) -> str:
    """What an error of an isolated call names: the first argument's path.

    A path (``str``/``os.PathLike``) as given, made absolute; a record with a ``path``
    attribute, or a mapping / pandas Series with a ``"path"`` entry, that path; else the
    function's first argument shown briefly.
    """
    first = args[0] if args else next(iter(kwargs.values()), None)
    if isinstance(first, (str, os.PathLike)):
        return os.path.abspath(os.fspath(first))
    path: Any = getattr(first, "path", None)  # a record; a pandas Series's "path" entry too
    if path is None and isinstance(first, Mapping):
        path = first.get("path")
    if isinstance(path, (str, os.PathLike)) and os.fspath(path):
        return os.fspath(path)
    return f"<{type(first).__name__} argument>"


@dataclass(frozen=True)
class Call:
    """One isolated call as it travels to the worker (pickled): what to run, on what, where."""

    target: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    subject: str
    cwd: str = field(default="")


def run_call(call: Call) -> Any:
    """Worker body: ``target(*args, **kwargs)`` in the caller's directory (runs directly there)."""
    if call.cwd and call.cwd != os.getcwd():
        with contextlib.suppress(OSError):
            os.chdir(call.cwd)
    return resolve(call.target)(*call.args, **call.kwargs)


def return_error(item: Call, exc: BaseException) -> BaseException:
    """``on_error`` of the isolated worker: the exception goes back to be raised by the caller."""
    return exc


_RUN_CALL = f"{__name__}:run_call"
_RETURN_ERROR = f"{__name__}:return_error"
_PRELOAD: tuple[str, ...] | None = None


def _preload() -> tuple[str, ...]:
    """Fixed at the first isolated call (one warm worker; later modules are imported by name)."""
    global _PRELOAD
    if _PRELOAD is None:
        _PRELOAD = tuple(dict.fromkeys([*BASE_PRELOAD, *REGISTERED]))
    return _PRELOAD


def call_in_worker(call: Call, timeout: float | None) -> Any:
    """Run ``call`` in the warm isolated worker; its result, or its exception raised here."""
    with FileMapper(_RUN_CALL, (), _RETURN_ERROR, workers=1, timeout=timeout,
                    preload=_preload()) as mapper:
        (out,) = mapper.map([call])
    if isinstance(out, BaseException):
        raise out
    return out


class Isolated(Generic[P, R]):
    """A function that runs in the isolated worker (see the module docstring).

    ``here`` runs it in this process (nested decorated calls too); ``timeout`` is its default
    per-call limit; ``with_timeout(s)`` is the same function with another limit.
    """

    __name__: str
    __qualname__: str
    __wrapped__: Callable[P, R]

    def __init__(self, func: Callable[P, R], timeout: float | None = DEFAULT_TIMEOUT,
                 subject: Callable[..., str] | None = None) -> None:
        if timeout is not None and timeout <= 0:
            raise ValueError(f"timeout must be positive seconds or None, not {timeout!r}")
        functools.update_wrapper(self, func)
        self.__wrapped__ = func
        sig = inspect.signature(func)
        declared = sig.parameters.get("timeout")
        if declared is not None and declared.default is not inspect.Parameter.empty:
            timeout = declared.default  # a body that names its limit: its default is the one
        self.timeout = timeout
        self.subject = subject or default_subject
        self._target = f"{func.__module__}:{func.__qualname__}"
        if "timeout" not in sig.parameters:  # shown by help() and ok.<TAB>
            extra = inspect.Parameter("timeout", inspect.Parameter.KEYWORD_ONLY,
                                      default=timeout, annotation="float | None")
            params = list(sig.parameters.values())
            at = next((i for i, p in enumerate(params)
                       if p.kind is inspect.Parameter.VAR_KEYWORD), len(params))
            sig = sig.replace(parameters=[*params[:at], extra, *params[at:]])
        self.__signature__ = sig
        self._passes_timeout = declared is not None

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        given: Any = kwargs.get("timeout", _UNSET)
        limit: float | None = self.timeout if given is _UNSET else given
        if given is not _UNSET and not self._passes_timeout:
            del kwargs["timeout"]
        if in_worker() or _HERE.get():
            return self.__wrapped__(*args, **kwargs)
        call = Call(self._target, args, dict(kwargs), self.subject(*args, **kwargs),
                    _cwd())
        out: R = call_in_worker(call, limit)
        return out

    def here(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run in this process, with no time limit; nested decorated calls run here too."""
        if not self._passes_timeout:
            kwargs.pop("timeout", None)
        with running_here():
            return self.__wrapped__(*args, **kwargs)

    def with_timeout(self, timeout: float | None) -> Isolated[P, R]:
        """The same function with ``timeout`` seconds as its per-call limit (None: none)."""
        twin: Isolated[P, R] = Isolated(self.__wrapped__, timeout, self.subject)
        twin.timeout, twin._target = timeout, self._target
        return twin

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        """Bind like a function (a method); also makes ``help()`` document it as one."""
        return self if obj is None else functools.partial(self, obj)

    def __repr__(self) -> str:
        return f"<isolated function {self._target} (timeout {self.timeout})>"

    def __reduce__(self) -> str | tuple[Any, ...]:
        return (resolve, (self._target,))


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:  # the directory was deleted: paths are absolute or meaningless anyway
        return ""


@overload
def isolated(func: Callable[P, R], /) -> Isolated[P, R]: ...


@overload
def isolated(*, timeout: float | None = DEFAULT_TIMEOUT,
             subject: Callable[..., str] | None = None
             ) -> Callable[[Callable[P, R]], Isolated[P, R]]: ...


def isolated(func: Callable[P, R] | None = None, /, *, timeout: float | None = DEFAULT_TIMEOUT,
             subject: Callable[..., str] | None = None
             ) -> Isolated[P, R] | Callable[[Callable[P, R]], Isolated[P, R]]:
    """Run the decorated function in the warm isolated worker (see the module docstring).

    Use bare (``@isolated``: :data:`DEFAULT_TIMEOUT` seconds) or with the default per-call
    ``timeout`` (None: no limit). ``subject(*args, **kwargs)`` names the thing a crash or a
    timeout is reported against (default: :func:`default_subject`). The function must be
    defined at module level (the worker imports it by name); its module joins the modules the
    worker's forkserver imports before the first call.
    """

    def wrap(f: Callable[P, R]) -> Isolated[P, R]:
        if "<" in f.__qualname__ or f.__module__ == "__main__":
            raise TypeError(f"@isolated needs a module-level function, not {f.__qualname__!r}")
        REGISTERED.setdefault(f.__module__)
        return Isolated(f, timeout, subject)

    return wrap if func is None else wrap(func)
