"""A read-only dict for the mappings of metadata records (provenance, raw tags)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FrozenMap(dict[str, str]):
    """A read-only dict (provenance, raw tags) that still pickles and deep-copies, so
    records can cross process boundaries (scan workers, Dask)."""

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError("metadata record mappings are read-only")

    __setitem__ = _read_only  # type: ignore[assignment]
    __delitem__ = _read_only  # type: ignore[assignment]
    __ior__ = _read_only  # type: ignore[assignment]
    clear = _read_only  # type: ignore[assignment]
    pop = _read_only  # type: ignore[assignment]
    popitem = _read_only  # type: ignore[assignment]
    setdefault = _read_only  # type: ignore[assignment]
    update = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self),))


def empty_map() -> Mapping[str, str]:
    return FrozenMap()
