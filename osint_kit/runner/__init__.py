"""How work runs: single isolated calls, the process pool, batches with progress and per-item
time limits, and Dask.

- :func:`map_files` / :class:`FileMapper`: one function over many files (local worker
  processes or Dask), one result per path in input order, per-file time limits, a batch that
  never dies on one file (:mod:`osint_kit.runner.engine` lists the guarantees).
- :func:`call_isolated`: one call in a warm worker process, so a C decoder that crashes or
  hangs on a crafted file cannot take the notebook's kernel down.
- :func:`shutdown_pools`: stop the workers kept warm between calls.

The runner imports no domain package (images, timeline, sources, geo, case, display): every
package may use it (``tests/core/test_core_layers.py`` walks the imports).
"""

from __future__ import annotations

from osint_kit.runner.engine import (
    FileMapper,
    call_isolated,
    default_workers,
    in_worker,
    map_files,
    shutdown_pools,
)

__all__ = [
    "FileMapper",
    "call_isolated",
    "default_workers",
    "in_worker",
    "map_files",
    "shutdown_pools",
]
