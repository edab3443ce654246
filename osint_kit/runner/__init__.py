"""How work runs: isolated single calls, the process pool, batches with progress and per-item
time limits, and Dask.

- :func:`isolated`: the crash-isolation boundary. Every function that decodes untrusted bytes
  is decorated with it and runs in a warm worker process, so a C decoder that crashes or
  hangs on a crafted file cannot take the notebook's kernel down;
  ``func.here(...)`` runs it in this process (:mod:`osint_kit.runner.isolation`).
- :func:`map_files` / :class:`FileMapper`: one function over many files (local worker
  processes or Dask), one result per path in input order, per-file time limits, a batch that
  never dies on one file (:mod:`osint_kit.runner.engine` lists the guarantees). A batch's
  worker pool is its isolation.
- :func:`shutdown_pools`: stop the workers kept warm between calls.

Batch options mean the same in every batch function (``scan``, ``scan_to_parquet``,
``perceptual_hashes``, ``near_duplicates``, ``inspect_scan``, ``map_files``), which take the
files or the frame first and every option by keyword:

- ``workers=None``: all the CPUs this process may use (:func:`default_workers`);
  ``workers=0``: in this process, no worker (no crash isolation, per-file limits by a
  watchdog thread); ``workers=n``: ``n`` worker processes.
- ``timeout=60.0``: the per-file limit in seconds (:data:`DEFAULT_TIMEOUT`; None: none). A
  file over it becomes a ``ProcessingTimeoutError`` result and its worker is replaced.
- ``chunk_size=None``: files sent to a worker at a time (None: chosen from the batch size;
  chunks shrink as the batch drains). Always files per message, nothing else.
- ``engine="local"`` or ``"dask"`` (with ``client=``); ``progress=`` shows a bar.

Isolated single calls take the same ``timeout=`` (default 60 s) as a keyword.

The runner imports no domain package (images, timeline, sources, geo, case, display): every
package may use it (``tests/core/test_core_layers.py`` walks the imports).
"""

from __future__ import annotations

from osint_kit.runner.engine import (
    DEFAULT_TIMEOUT,
    FileMapper,
    default_workers,
    in_worker,
    map_files,
    shutdown_pools,
)
from osint_kit.runner.isolation import Isolated, isolated

__all__ = [
    "DEFAULT_TIMEOUT",
    "FileMapper",
    "Isolated",
    "default_workers",
    "in_worker",
    "isolated",
    "map_files",
    "shutdown_pools",
]
