"""osint_kit: open-source intelligence helpers for JupyterLab.

``import osint_kit as ok`` and find everything with ``ok.<TAB>``. Names are imported lazily
on first use, so ``import osint_kit`` stays fast and heavy libraries (matplotlib, ipywidgets,
dask, c2pa) load only when a function needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "OsintKitError": "osint_kit.errors",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'osint_kit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from osint_kit.errors import OsintKitError  # noqa: F401
