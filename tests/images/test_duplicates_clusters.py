"""Near-duplicate grouping: index correctness against brute force, precision/recall on a
generated set of >= 500 images with >= 50 duplicate groups, and find_copies."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osint_kit.media.similar.duplicates import (
    DEFAULT_MAX_DISTANCE,
    HashFormatError,
    cluster_hashes,
    duplicate_pairs,
    find_copies,
    near_duplicates,
    pairs_within,
    popcount64,
)
from osint_kit.media.similar.hashes import perceptual_hashes
from osint_kit.testing.image_sets import make_duplicate_set, precision_recall


def _brute(h: np.ndarray, d: int) -> set[tuple[int, int]]:
    dist = popcount64(h[:, None] ^ h[None, :])
    a, b = np.nonzero(np.triu(dist <= d, 1))
    return set(zip(a.tolist(), b.tolist(), strict=True))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 300),
    d=st.integers(0, 12),
    planted=st.integers(0, 40),
)
def test_index_equals_brute_force(seed: int, n: int, d: int, planted: int) -> None:
    rng = np.random.default_rng(seed)
    h = rng.integers(0, 2**63, size=n, dtype=np.uint64) * np.uint64(2)
    for _ in range(planted):  # near copies and exact copies
        i, j = rng.integers(0, n, size=2)
        flips = rng.choice(64, size=int(rng.integers(0, d + 2)), replace=False)
        h[j] = h[i] ^ np.uint64(sum(1 << int(b) for b in flips))
    p = pairs_within(h, d, workers=1)
    assert set(zip(p["a"].tolist(), p["b"].tolist(), strict=True)) == _brute(h, d)
    assert (p["distance"].to_numpy() == popcount64(h[p["a"].to_numpy()] ^ h[p["b"].to_numpy()])).all()


def test_many_identical_hashes_collapse() -> None:
    h = np.array([5] * 2000 + [5 ^ 0b111] + [0xFFFF << 40], dtype=np.uint64)
    labels, nearest = cluster_hashes(h, 3, workers=1)
    assert len(set(labels[:2001].tolist())) == 1
    assert labels[-1] != labels[0]
    assert nearest[0] == 0 and nearest[2000] == 3 and nearest[-1] == -1


def test_bad_hash_column() -> None:
    with pytest.raises(HashFormatError):
        near_duplicates(pd.DataFrame({"path": ["a"], "phash": ["zz"]}))
    with pytest.raises(HashFormatError):
        near_duplicates(pd.DataFrame({"file": ["a"]}))


@pytest.fixture(scope="module")
def dup_set(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("dups")
    ds = make_duplicate_set(folder, n_groups=60, copies=4, n_unrelated=260)
    df = perceptual_hashes(ds.paths, workers=2, progress=False, crypto=False)
    return ds, df


def _found_pairs(clusters: pd.DataFrame, paths: list[Path]) -> set[tuple[int, int]]:
    index = {str(p): i for i, p in enumerate(paths)}
    out: set[tuple[int, int]] = set()
    for _, members in clusters.groupby("cluster"):
        ids = sorted(index[p] for p in members["path"])
        out |= {(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]}
    return out


@pytest.mark.slow
def test_generated_set_precision_recall(dup_set) -> None:
    ds, df = dup_set
    assert len(ds.paths) >= 500 and len(set(g for g in ds.group if g >= 0)) >= 50
    assert df["error"].isna().all()
    clusters = near_duplicates(df, max_distance=DEFAULT_MAX_DISTANCE, workers=1)
    precision, recall = precision_recall(_found_pairs(clusters, ds.paths), ds.true_pairs())
    groups_whole = sum(
        1 for g in range(60)
        if clusters[clusters["path"].isin([str(p) for p, x in zip(ds.paths, ds.group, strict=True) if x == g])]["cluster"].nunique() == 1
        and clusters["path"].isin([str(ds.paths[ds.group.index(g)])]).any()
    )
    print(f"\nnear_duplicates on {len(ds.paths)} images, {len(set(ds.group)) - 1} groups, "
          f"max_distance={DEFAULT_MAX_DISTANCE}: pair precision {precision:.3f}, recall {recall:.3f}, "
          f"groups found whole {groups_whole}/60")
    assert precision >= 0.95
    assert recall >= 0.95
    assert set(clusters.columns) >= {"cluster", "cluster_size", "nearest_distance", "method"}


def test_find_copies_and_pairs(dup_set) -> None:
    ds, df = dup_set
    query = ds.paths[0]  # g000 original
    hits = find_copies(query, df, max_distance=DEFAULT_MAX_DISTANCE)
    truth = {str(p) for p, g in zip(ds.paths, ds.group, strict=True) if g == 0}
    found = set(hits["path"])
    print(f"find_copies: {len(found & truth)}/{len(truth)} copies found, {len(found - truth)} others")
    assert str(query) in found
    assert hits["distance"].is_monotonic_increasing
    assert len(found & truth) >= len(truth) - 1
    assert not found - truth
    pairs = duplicate_pairs(df, max_distance=2)
    assert (pairs["distance"] <= 2).all()


def test_scan_table_without_hashes_is_hashed(dup_set) -> None:
    ds, _df = dup_set
    scan_like = pd.DataFrame({"path": [str(p) for p in ds.paths[:25]]})
    clusters = near_duplicates(scan_like, workers=1)
    assert "phash" in clusters.columns and clusters["cluster"].nunique() >= 4
