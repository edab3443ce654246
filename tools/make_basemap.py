"""Build osint_kit/data/basemap/ne_10m_admin0_outlines.npz from a Natural Earth shapefile.

Usage: python tools/make_basemap.py ne_10m_admin_0_countries_deu.shp OUT.npz

Reads the polygon rings of the shapefile (plain struct parsing: no GIS dependency),
simplifies each ring with Douglas-Peucker at TOLERANCE degrees, and stores the vertices as
int32 steps (1e-4 degree units, about 11 m; each ring's first vertex absolute, the others
relative to the previous one) with the start index of each ring. See PROVENANCE.md
next to the output for where the input came from.
"""

from __future__ import annotations

import itertools
import struct
import sys
from pathlib import Path

import numpy as np

TOLERANCE = 0.005  # degrees, about 500 m: below the 1:10m source's own accuracy
SCALE = 10_000


def rings(shp: Path) -> list[np.ndarray]:
    data = shp.read_bytes()
    out: list[np.ndarray] = []
    pos = 100
    while pos < len(data):
        _num, length = struct.unpack(">ii", data[pos:pos + 8])
        rec = data[pos + 8:pos + 8 + 2 * length]
        pos += 8 + 2 * length
        shape_type = struct.unpack("<i", rec[:4])[0]
        if shape_type not in (5, 15, 25):
            continue
        n_parts, n_points = struct.unpack("<ii", rec[36:44])
        parts = np.frombuffer(rec, "<i4", n_parts, 44)
        pts = np.frombuffer(rec, "<f8", 2 * n_points, 44 + 4 * n_parts).reshape(-1, 2)
        bounds = [*parts.tolist(), n_points]
        out.extend(pts[a:b] for a, b in itertools.pairwise(bounds))
    return out


def simplify(points: np.ndarray, tol: float) -> np.ndarray:
    """Douglas-Peucker, iterative (rings of 100,000 points do not recurse)."""
    keep = np.zeros(len(points), bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        seg = points[b] - points[a]
        rel = points[a + 1:b] - points[a]
        norm = float(np.hypot(*seg))
        if norm == 0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / norm
        i = int(np.argmax(dist))
        if dist[i] > tol:
            m = a + 1 + i
            keep[m] = True
            stack.extend([(a, m), (m, b)])
    return points[keep]


def main(src: str, out: str) -> None:
    lines = [simplify(r, TOLERANCE) for r in rings(Path(src))]
    lines = [ln for ln in lines if len(ln) >= 3]
    coords = np.round(np.concatenate(lines) * SCALE).astype(np.int32)
    starts = np.cumsum([0] + [len(ln) for ln in lines[:-1]]).astype(np.int32)
    delta = coords.copy()  # each vertex as the step from the previous one: compresses well
    delta[1:] -= coords[:-1]
    delta[starts] = coords[starts]
    np.savez_compressed(out, delta=delta, starts=starts, scale=np.int32(SCALE))
    print(f"{len(lines)} rings, {len(coords)} vertices -> {out} "
          f"({Path(out).stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
