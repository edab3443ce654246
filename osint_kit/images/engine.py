"""Moved to :mod:`osint_kit.runner.engine`; this name stays for one release.

Importing it warns (``DeprecationWarning``) and forwards every name to the new module.
"""

from __future__ import annotations

import warnings
from typing import Any

from osint_kit.runner import engine as _engine

warnings.warn(
    "osint_kit.images.engine moved to osint_kit.runner.engine (the worker engine is not about "
    "images); import map_files, call_isolated and shutdown_pools from osint_kit.runner "
    "(this alias goes in the next release)",
    DeprecationWarning,
    stacklevel=2,
)


def __getattr__(name: str) -> Any:
    return getattr(_engine, name)


def __dir__() -> list[str]:
    return dir(_engine)
