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
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit.errors import HashFormatError

log = logging.getLogger(__name__)

#: Default distance for 64-bit pHash: re-encoded and resized copies are usually 0-4 bits
#: apart, slight crops 4-10, unrelated pictures around 32 (see docs/forensics.md).
DEFAULT_MAX_DISTANCE = 8

#: Columns of :func:`duplicate_pairs`.
PAIR_COLUMNS: tuple[str, ...] = ("a", "b", "path_a", "path_b", "distance")


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


# Arrays of the blocks being probed; set before worker processes fork so they share them.
_BLOCKS: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []


def _probe(block: int, masks: np.ndarray, max_distance: int) -> tuple[np.ndarray, np.ndarray]:
    """Verified pairs (original indices) found in one block by the given flip masks."""
    ks, counts, starts, occ, us, order = _BLOCKS[block]
    found_a: list[np.ndarray] = []
    found_b: list[np.ndarray] = []
    by_bit: dict[int, np.ndarray] = {}
    for mask in masks.tolist():
        if mask == 0:
            # same bucket: pair every item with the later items of its run
            c = counts[ks]
            hit = np.flatnonzero(c > 1)
            if hit.size == 0:
                continue
            later = c[hit] - 1 - (hit - starts[ks[hit]])
            qi = np.repeat(hit, later)
            qj = qi + np.arange(qi.size) - np.repeat(np.cumsum(later) - later, later) + 1
        else:
            # only items whose key has a 0 at the mask's top bit: each pair is seen once
            top = mask.bit_length() - 1
            sel = by_bit.get(top)
            if sel is None:
                sel = by_bit[top] = np.flatnonzero(((ks >> top) & 1) == 0).astype(np.int32)
            probe = ks[sel] ^ mask
            o = np.flatnonzero(occ[probe])
            if o.size == 0:
                continue
            pr = probe[o]
            ch = counts[pr]
            single = ch == 1  # most buckets hold one hash: no repeat needed
            qi_1, qj_1 = sel[o[single]], starts[pr[single]]
            multi = ~single
            if multi.any():
                chm = ch[multi]
                qi_m = np.repeat(sel[o[multi]], chm)
                qj_m = np.repeat(starts[pr[multi]], chm) + (
                    np.arange(int(chm.sum()), dtype=np.int32) - np.repeat(np.cumsum(chm) - chm, chm)
                )
                qi, qj = np.concatenate([qi_1, qi_m]), np.concatenate([qj_1, qj_m])
            else:
                qi, qj = qi_1, qj_1
        ok = popcount64(us[qi] ^ us[qj]) <= max_distance
        found_a.append(order[qi[ok]])
        found_b.append(order[qj[ok]])
    if not found_a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(found_a).astype(np.int64), np.concatenate(found_b).astype(np.int64)


def _probe_task(args: tuple[int, np.ndarray, int]) -> tuple[np.ndarray, np.ndarray]:
    return _probe(*args)


def _pairs_unique(u: np.ndarray, max_distance: int, workers: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a < b) of distinct uint64 values ``u`` within ``max_distance`` bits."""
    n = len(u)
    _BLOCKS.clear()
    tasks: list[tuple[int, np.ndarray, int]] = []
    for shift, bits, radius in _plan(n, max_distance):
        keys = ((u >> np.uint64(shift)) & np.uint64((1 << bits) - 1)).astype(np.int32)
        order = np.argsort(keys, kind="stable").astype(np.int32)
        ks = keys[order]
        counts = np.bincount(ks, minlength=1 << bits).astype(np.int32)
        starts = (np.cumsum(counts) - counts).astype(np.int32)
        occ = (counts > 0).astype(np.uint8)
        _BLOCKS.append((ks, counts, starts, occ, u[order], order))
        masks = _masks(bits, radius)
        for chunk in np.array_split(masks, max(1, min(len(masks), workers * 2))):
            tasks.append((len(_BLOCKS) - 1, chunk, max_distance))
    try:
        if workers > 1 and n >= 200_000 and sys.platform.startswith("linux"):
            import multiprocessing as mp

            # fork shares the block arrays with the workers without copying them
            with mp.get_context("fork").Pool(workers) as pool:
                results = pool.map(_probe_task, tasks, chunksize=1)
        else:
            results = [_probe_task(t) for t in tasks]
    finally:
        _BLOCKS.clear()
    if not results:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    a = np.concatenate([r[0] for r in results])
    b = np.concatenate([r[1] for r in results])
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    code = np.unique(lo * n + hi)
    return code // n, code % n


def _pairs_uint64(
    h: np.ndarray, max_distance: int, workers: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All index pairs (i < j) with Hamming distance <= max_distance, and the distances.

    Identical hashes are collapsed first (exact copies are common and would otherwise make
    huge buckets); their pairs are added back at the end.
    """
    n = len(h)
    empty = np.zeros(0, dtype=np.int64)
    if n < 2:
        return empty, empty, np.zeros(0, dtype=np.uint8)
    u, first, inv = np.unique(h, return_index=True, return_inverse=True)
    ua, ub = _pairs_unique(u, max_distance, workers) if len(u) > 1 else (empty, empty)
    # members of each unique value, grouped
    order = np.argsort(inv, kind="stable")
    sizes = np.bincount(inv, minlength=len(u))
    starts = np.cumsum(sizes) - sizes
    parts_a, parts_b = [], []
    # pairs between different unique values: every member x every member
    if ua.size:
        sa, sb = sizes[ua], sizes[ub]
        simple = (sa == 1) & (sb == 1)
        parts_a.append(first[ua[simple]])
        parts_b.append(first[ub[simple]])
        for x, y in zip(ua[~simple].tolist(), ub[~simple].tolist(), strict=True):
            mx = order[starts[x] : starts[x] + sizes[x]]
            my = order[starts[y] : starts[y] + sizes[y]]
            parts_a.append(np.repeat(mx, len(my)))
            parts_b.append(np.tile(my, len(mx)))
    # pairs among identical hashes
    for v in np.flatnonzero(sizes > 1).tolist():
        members = order[starts[v] : starts[v] + sizes[v]]
        ii, jj = np.triu_indices(len(members), 1)
        parts_a.append(members[ii])
        parts_b.append(members[jj])
    if not parts_a:
        return empty, empty, np.zeros(0, dtype=np.uint8)
    a, b = np.concatenate(parts_a).astype(np.int64), np.concatenate(parts_b).astype(np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = np.lexsort((hi, lo))
    lo, hi = lo[key], hi[key]
    return lo, hi, popcount64(h[lo] ^ h[hi])


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components (union-find) of n nodes with edges a-b; labels 0..k-1."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def _workers(workers: int | None) -> int:
    import os

    return (os.cpu_count() or 1) if workers is None else max(1, int(workers))


def pairs_within(
    hashes: np.ndarray, max_distance: int = DEFAULT_MAX_DISTANCE, workers: int | None = None
) -> pd.DataFrame:
    """Index pairs ``a < b`` of uint64 hashes within ``max_distance`` bits, with distances.

    Beware: k identical hashes give k*(k-1)/2 pairs; :func:`near_duplicates` avoids that.
    """
    if not 0 <= max_distance <= 32:
        raise ValueError(f"max_distance must be 0..32 bits, got {max_distance}")
    a, b, d = _pairs_uint64(np.asarray(hashes, dtype=np.uint64), max_distance, _workers(workers))
    return pd.DataFrame({"a": a, "b": b, "distance": d.astype(np.int64)})


def duplicate_pairs(
    df: pd.DataFrame,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    column: str = "phash",
    workers: int | None = None,
) -> pd.DataFrame:
    """Every pair of rows whose hashes are within ``max_distance`` bits (:data:`PAIR_COLUMNS`)."""
    if column not in df.columns:
        raise HashFormatError(f"no column {column!r}; hash the files first (perceptual_hashes)")
    h, ok = hashes_to_uint64(df[column].tolist())
    rows = np.nonzero(ok)[0]
    pairs = pairs_within(h[ok], max_distance, workers)
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


def cluster_hashes(
    h: np.ndarray, max_distance: int = DEFAULT_MAX_DISTANCE, workers: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster label (connected component) and distance to the nearest other hash, per hash.

    Identical hashes are collapsed before indexing, so a million copies of one picture cost
    no more than one. The nearest distance is -1 for a hash with no neighbour.
    """
    if not 0 <= max_distance <= 32:
        raise ValueError(f"max_distance must be 0..32 bits, got {max_distance}")
    h = np.asarray(h, dtype=np.uint64)
    if len(h) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    u, inv = np.unique(h, return_inverse=True)
    inv = inv.reshape(-1)
    if len(u) > 1:
        ua, ub = _pairs_unique(u, max_distance, _workers(workers))
    else:
        ua = ub = np.zeros(0, np.int64)
    labels_u = _components(len(u), ua, ub)
    big = np.iinfo(np.int64).max
    near_u = np.full(len(u), big, dtype=np.int64)
    if ua.size:
        d = popcount64(u[ua] ^ u[ub]).astype(np.int64)
        np.minimum.at(near_u, ua, d)
        np.minimum.at(near_u, ub, d)
    copies = np.bincount(inv, minlength=len(u))
    near = np.where(copies[inv] > 1, 0, near_u[inv])
    return labels_u[inv], np.where(near == big, -1, near)


def near_duplicates(
    df: pd.DataFrame,
    *,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    column: str = "phash",
    include_singletons: bool = False,
    workers: int | None = None,
) -> pd.DataFrame:
    """Group rows whose perceptual hashes lie within ``max_distance`` bits into clusters.

    ``df`` is the output of :func:`~osint_kit.media.similar.hashes.perceptual_hashes`, any table
    with a hex hash column, or a scan table with ``path`` only (then the files are hashed
    first, fast mode; hashing failures land in ``hash_error``). Returns the input rows that belong to a cluster of
    two or more (all rows with ``include_singletons``), with added columns ``cluster``
    (0, 1, ... biggest first), ``cluster_size``, ``nearest_distance`` (bits to the closest
    other member) and ``method`` (provenance). Rows without a hash (errors) are left out.
    ``workers`` as in every batch function (:mod:`osint_kit.runner`): the hashing of a scan
    table runs in the batch workers (``workers=0``: here).
    """
    df = _with_hashes(df, column, workers)
    h, ok = hashes_to_uint64(df[column].tolist())
    sub = df.loc[ok].copy()
    labels, nearest = cluster_hashes(h[ok], max_distance, workers)
    sizes = np.bincount(labels) if len(labels) else np.zeros(0, np.int64)
    sub["cluster_size"] = sizes[labels] if len(labels) else np.zeros(0, np.int64)
    near = pd.Series(nearest, index=sub.index)
    sub["nearest_distance"] = near.where(near >= 0).astype("Int64")
    # renumber clusters: biggest first, then by first appearance
    info = pd.DataFrame({"label": labels, "size": sub["cluster_size"].to_numpy(),
                         "pos": np.arange(len(sub))})
    first = info.groupby("label").agg(size=("size", "first"), pos=("pos", "min"))
    first = first.sort_values(["size", "pos"], ascending=[False, True])
    renum = pd.Series(np.arange(len(first)), index=first.index)
    sub["cluster"] = renum.loc[labels].to_numpy() if len(labels) else np.zeros(0, np.int64)
    sub["method"] = (
        f"{column} Hamming distance <= {max_distance} bits; multi-index hashing; single linkage"
    )
    if not include_singletons:
        sub = sub[sub["cluster_size"] >= 2]
    return sub.sort_values(["cluster", "nearest_distance"], kind="stable")


def _with_hashes(df: pd.DataFrame, column: str, workers: int | None) -> pd.DataFrame:
    """``df`` itself when it has the hash column; else hash its ``path`` column (a scan)."""
    if column in df.columns:
        return df
    if column not in ("phash", "dhash") or "path" not in df.columns:
        raise HashFormatError(
            f"no column {column!r}; hash the files first (perceptual_hashes) or pass a table "
            "with a 'path' column"
        )
    from osint_kit.media.similar.hashes import perceptual_hashes

    hashed = perceptual_hashes(df["path"].astype(str).tolist(), workers=workers, progress=False)
    out = df.copy()
    out[column] = hashed[column].to_numpy()
    if "hash_error" not in out.columns:
        out["hash_error"] = hashed["error"].to_numpy()
    return out


def find_copies(
    query: str | Path | int,
    hashes: pd.DataFrame,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    column: str = "phash",
    exact: bool = False,
) -> pd.DataFrame:
    """Rows of ``hashes`` (a perceptual_hashes / scan table) within ``max_distance`` of a query.

    ``query`` is an image path (hashed here with the same fast/exact mode) or a hash value
    (int or 16 hex characters). A scan table without a hash column is hashed first.
    Returns the matching rows sorted by ``distance`` (bits), closest first. A linear
    vectorised popcount over the table: one query against a million rows takes milliseconds.
    """
    qhash: int
    if isinstance(query, (int, np.integer)):
        qhash = int(query)
    elif isinstance(query, str) and len(query) == 16 and not Path(query).exists():
        qhash = int(query, 16)
    else:
        from osint_kit.media.similar.hashes import image_hashes

        qhash = int(image_hashes(query, exact=exact, crypto=False)[column], 16)
    hashes = _with_hashes(hashes, column, None)
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
    return cluster_hashes(h, max_distance)[0]
