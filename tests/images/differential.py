"""Differential check for read_metadata's size thresholds (shared by the prefilter and the
memory-map tests): each file is read with the threshold switched off and set to 0, and both
outcomes must be equal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import osint_kit.media.read.metadata as metadata_mod


def same_either_way(paths: list[Path], monkeypatch: pytest.MonkeyPatch, threshold: str,
                    outcome: Callable[[Path], Any]) -> int:
    """Assert ``outcome(path)`` is the same with ``metadata.<threshold>`` off and at 0;
    returns the number of files compared."""
    for p in paths:
        monkeypatch.setattr(metadata_mod, threshold, 1 << 62)
        off = outcome(p)
        monkeypatch.setattr(metadata_mod, threshold, 0)
        assert outcome(p) == off, p.name
    return len(paths)


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def files_below(*folders: Path) -> list[Path]:
    """Every file below the folders, sorted per folder (the camera samples, the examples)."""
    return [p for folder in folders for p in sorted(q for q in folder.rglob("*") if q.is_file())]
