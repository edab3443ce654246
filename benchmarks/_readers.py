"""Readers for the scan benchmark's floor row (not a benchmark itself: no ``bench_`` prefix).

``read_and_hash`` does only what every scan must do whatever its parser: read the file once,
read-only, and take its SHA-256. Run through the same ``scan()`` engine, it measures the
ceiling any metadata parser could reach on this machine.
"""

from __future__ import annotations

from osint_kit._io import digests, read_evidence


def read_and_hash(path: str) -> dict[str, object]:
    data = read_evidence(path)
    return {"path": path, "file_size": len(data), "sha256": digests(data)[0]}
