"""Near-duplicate images: group perceptual hashes within a Hamming distance into clusters.

Comparing every pair is quadratic (10^12 pairs for a million hashes). We use multi-index
hashing (Norouzi, Punjani & Fleet, "Fast search in Hamming space with multi-index hashing",
CVPR 2012): the 64 bits are split into ``m`` blocks; by the pigeonhole principle, two hashes
within distance ``d`` agree within radius ``r_i`` on at least one block ``i`` whenever
``sum(r_i + 1) > d``. For each block we bucket all hashes by the block's value (a counting
sort) and probe every bucket within radius ``r_i``; the few candidates found are verified
with a vectorised popcount. Everything is numpy, nothing loops over pairs in Python.
Clusters are the connected components of the verified pairs (single linkage, like the
transitive "copy of a copy" chains seen in re-uploads).
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit.errors import OsintKitError

log = logging.getLogger(__name__)

#: Default distance for 64-bit pHash: re-encoded and resized copies are usually 0-4 bits
#: apart, slight crops 4-10, unrelated pictures around 32 (see docs/forensics.md).
DEFAULT_MAX_DISTANCE = 8

#: Columns of :func:`duplicate_pairs`.
PAIR_COLUMNS: tuple[str, ...] = ("a", "b", "path_a", "path_b", "distance")


class HashFormatError(OsintKitError, ValueError):
    """A hash column holds values that are not 64-bit hashes (16 hex characters)."""


def hashes_to_uint64(values: Iterable[object]) -> tuple[np.ndarray, np.ndarray]:
    """Convert hex strings / ints to uint64; return (hashes, valid mask). NaN/None -> invalid."""
    if isinstance(values, np.ndarray) and values.dtype == np.uint64:
        return values, np.ones(len(values), dtype=bool)
    vals = list(values)
    out = np.zeros(len(vals), dtype=np.uint64)
    ok = np.zeros(len(vals), dtype=bool)
    for i, v in enumerate(vals):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        if isinstance(v, (int, np.integer)):
            iv = int(v)
        elif isinstance(v, str) and v:
            try:
                iv = int(v, 16)
            except ValueError as err:
                raise HashFormatError(f"row {i}: {v!r} is not a hex hash") from err
        else:
            iv = int(str(v), 16)  # imagehash.ImageHash prints as hex
        if iv < 0 or iv >= 1 << 64:
            raise HashFormatError(f"row {i}: {v!r} does not fit in 64 bits (use hash_size=8)")
        out[i] = iv
        ok[i] = True
    return out, ok


def popcount64(x: np.ndarray) -> np.ndarray:
    """Number of set bits of each uint64 (numpy's bitwise_count when available)."""
    bc = getattr(np, "bitwise_count", None)
    if bc is not None:
        return np.asarray(bc(x), dtype=np.uint8)
    x = x.astype(np.uint64)
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return ((x * np.uint64(0x0101010101010101)) >> np.uint64(56)).astype(np.uint8)


def _plan(n: int, max_distance: int) -> list[tuple[int, int, int]]:
    """Blocks as (shift, bits, radius) with sum(radius + 1) == max_distance + 1."""
    bits = int(min(22, max(8, round(math.log2(max(n, 2))))))
    m = max(1, 64 // bits)
    widths = [64 // m + (1 if i < 64 % m else 0) for i in range(m)]
    total = max_distance + 1
    radii = [total // m + (1 if i < total % m else 0) - 1 for i in range(m)]
    plan, shift = [], 0
    for w, r in zip(widths, radii, strict=True):
        if r >= 0:
            plan.append((shift, w, min(r, w)))
        shift += w
    return plan


def _masks(bits: int, radius: int) -> np.ndarray:
    out = [0]
    for k in range(1, radius + 1):
        for combo in itertools.combinations(range(bits), k):
            out.append(sum(1 << b for b in combo))
    return np.asarray(out, dtype=np.int64)


def _pairs_uint64(h: np.ndarray, max_distance: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All index pairs (i < j) with Hamming distance <= max_distance, and the distances."""
    n = len(h)
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.uint8)
    found_i, found_j = [], []
    idx = np.arange(n, dtype=np.int64)
    for shift, bits, radius in _plan(n, max_distance):
        keys = ((h >> np.uint64(shift)) & np.uint64((1 << bits) - 1)).astype(np.int64)
        order = np.argsort(keys, kind="stable")
        counts = np.bincount(keys, minlength=1 << bits)
        starts = np.cumsum(counts) - counts
        for mask in _masks(bits, radius):
            probe = keys ^ mask
            c = counts[probe]
            hit = np.nonzero(c)[0]
            if hit.size == 0:
                continue
            ch = c[hit]
            total = int(ch.sum())
            qi = np.repeat(idx[hit], ch)
            first = np.repeat(starts[probe[hit]], ch)
            offs = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(ch) - ch, ch)
            qj = order[first + offs]
            keep = qi < qj
            qi, qj = qi[keep], qj[keep]
            dist = popcount64(h[qi] ^ h[qj])
            ok = dist <= max_distance
            found_i.append(qi[ok])
            found_j.append(qj[ok])
    if not found_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.uint8)
    a, b = np.concatenate(found_i), np.concatenate(found_j)
    code = np.unique(a * n + b)
    a, b = code // n, code % n
    return a, b, popcount64(h[a] ^ h[b])


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components (union-find) of n nodes with edges a-b; labels 0..k-1."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def pairs_within(hashes: np.ndarray, max_distance: int = DEFAULT_MAX_DISTANCE) -> pd.DataFrame:
    """Index pairs ``a < b`` of uint64 hashes within ``max_distance`` bits (the raw index)."""
    if not 0 <= max_distance <= 32:
        raise ValueError(f"max_distance must be 0..32 bits, got {max_distance}")
    a, b, d = _pairs_uint64(np.asarray(hashes, dtype=np.uint64), max_distance)
    return pd.DataFrame({"a": a, "b": b, "distance": d.astype(np.int64)})


def duplicate_pairs(
    df: pd.DataFrame, max_distance: int = DEFAULT_MAX_DISTANCE, column: str = "phash"
) -> pd.DataFrame:
    """Every pair of rows whose hashes are within ``max_distance`` bits (:data:`PAIR_COLUMNS`)."""
    if column not in df.columns:
        raise HashFormatError(f"no column {column!r}; hash the files first (perceptual_hashes)")
    h, ok = hashes_to_uint64(df[column].tolist())
    rows = np.nonzero(ok)[0]
    pairs = pairs_within(h[ok], max_distance)
    a, b = rows[pairs["a"].to_numpy()], rows[pairs["b"].to_numpy()]
    paths = df["path"].astype(str).to_numpy() if "path" in df.columns else np.full(len(df), "")
    return pd.DataFrame(
        {
            "a": df.index.to_numpy()[a],
            "b": df.index.to_numpy()[b],
            "path_a": paths[a],
            "path_b": paths[b],
            "distance": pairs["distance"].to_numpy(),
        },
        columns=list(PAIR_COLUMNS),
    )


def near_duplicates(
    df: pd.DataFrame,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    column: str = "phash",
    include_singletons: bool = False,
) -> pd.DataFrame:
    """Group rows whose perceptual hashes lie within ``max_distance`` bits into clusters.

    ``df`` is the output of :func:`~osint_kit.images.hashes.perceptual_hashes` (or any table
    with ``path`` and a hex hash column). Returns the input rows that belong to a cluster of
    two or more (all rows with ``include_singletons``), with added columns ``cluster``
    (0, 1, ... ordered by size), ``cluster_size``, ``nearest_distance`` (bits to the closest
    other member) and ``method`` (provenance). Rows without a hash are left out.
    """
    if column not in df.columns:
        raise HashFormatError(f"no column {column!r}; hash the files first (perceptual_hashes)")
    h, ok = hashes_to_uint64(df[column].tolist())
    sub = df.loc[ok].copy()
    hv = h[ok]
    pairs = pairs_within(hv, max_distance)
    a, b, d = (pairs[c].to_numpy() for c in ("a", "b", "distance"))
    labels = _components(len(sub), a, b)
    sizes = np.bincount(labels, minlength=labels.max() + 1 if len(labels) else 0)
    nearest = np.full(len(sub), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(nearest, a, d)
    np.minimum.at(nearest, b, d)
    sub["cluster_size"] = sizes[labels] if len(labels) else np.zeros(0, dtype=np.int64)
    near = pd.Series(nearest, index=sub.index)
    sub["nearest_distance"] = near.where(near != np.iinfo(np.int64).max).astype("Int64")
    # renumber clusters: biggest first, singletons last, stable by first row
    order = pd.DataFrame({"label": labels, "size": sub["cluster_size"].to_numpy(), "pos": np.arange(len(sub))})
    first = order.groupby("label").agg(size=("size", "first"), pos=("pos", "min"))
    first = first.sort_values(["size", "pos"], ascending=[False, True])
    renum = pd.Series(np.arange(len(first)), index=first.index)
    sub["cluster"] = renum.loc[labels].to_numpy() if len(labels) else np.zeros(0, dtype=np.int64)
    sub["method"] = f"{column} Hamming distance <= {max_distance}, multi-index hashing, single linkage"
    if not include_singletons:
        sub = sub[sub["cluster_size"] >= 2]
    return sub.sort_values(["cluster", "nearest_distance"], kind="stable")


def find_copies(
    query: str | Path | int | str,
    hashes: pd.DataFrame,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    column: str = "phash",
    exact: bool = False,
) -> pd.DataFrame:
    """Rows of ``hashes`` (a perceptual_hashes / scan table) within ``max_distance`` of a query.

    ``query`` is an image path (hashed here with the same fast/exact mode) or a hash value.
    Returns the matching rows sorted by ``distance`` (bits), closest first. A linear
    vectorised popcount over the table: one query against a million rows takes milliseconds.
    """
    qhash: int
    if isinstance(query, (int, np.integer)):
        qhash = int(query)
    elif isinstance(query, str) and len(query) == 16 and not Path(query).exists():
        qhash = int(query, 16)
    else:
        from osint_kit.images.hashes import image_hashes

        qhash = int(image_hashes(query, exact=exact, crypto=False)[column], 16)
    h, ok = hashes_to_uint64(hashes[column].tolist())
    dist = popcount64(h ^ np.uint64(qhash)).astype(np.int64)
    hit = ok & (dist <= max_distance)
    out = hashes.loc[hit].copy()
    out["distance"] = dist[hit]
    return out.sort_values("distance", kind="stable")


def cluster_labels(values: Sequence[object], max_distance: int = DEFAULT_MAX_DISTANCE) -> np.ndarray:
    """Cluster label per hash (singletons get their own label); handy for evaluation."""
    h, ok = hashes_to_uint64(values)
    if not ok.all():
        raise HashFormatError("every value needs a hash to label clusters")
    p = pairs_within(h, max_distance)
    return _components(len(h), p["a"].to_numpy(), p["b"].to_numpy())
