"""Text-reuse benchmark: MinHash/LSH (``text_reuse``) vs exact all-pairs Jaccard.

Corpus: ``make_reuse_corpus(10_000)``: 10,000 generated documents, 10% of them planted
copies (verbatim, boilerplate-wrapped, lightly edited). Goals (issue 5): recall >= 0.95 of the
planted pairs whose true Jaccard is >= 0.5, and >= 50x faster than comparing all pairs.

The reference (exact Jaccard of Python sets for every pair, the obvious implementation) is
measured in the same run on a SUBSET of documents and EXTRAPOLATED to 10,000: its shingling
linearly, its pair comparisons by the number of pairs (n(n-1)/2). Both sides shingle the same
way; ``text_reuse`` runs with ``passages=False`` so both compute only pair similarities.
Run: ``python benchmarks/bench_textreuse.py [quick|full]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

SIZES = {"quick": {"docs": 10_000, "ref_docs": 500, "repeat": 1},
         "full": {"docs": 10_000, "ref_docs": 1_500, "repeat": 3}}


def _reference_seconds(docs: dict[str, str], n_total: int, n_sub: int) -> tuple[float, str]:
    from osint_kit.sources.reuse import shingles

    keys = sorted(docs)[:n_sub]
    t0 = time.perf_counter()
    sets = [shingles(docs[k]) for k in keys]
    t_shingle = time.perf_counter() - t0
    t0 = time.perf_counter()
    hits = 0
    for i in range(len(sets)):
        a = sets[i]
        for j in range(i + 1, len(sets)):
            b = sets[j]
            inter = len(a & b)
            if inter and inter / (len(a) + len(b) - inter) >= 0.5:
                hits += 1
    t_pairs = time.perf_counter() - t0
    pairs_sub = n_sub * (n_sub - 1) / 2
    pairs_all = n_total * (n_total - 1) / 2
    est = t_shingle * n_total / n_sub + t_pairs * pairs_all / pairs_sub
    note = (f"all-pairs measured on {n_sub} docs ({int(pairs_sub):,} pairs: "
            f"{t_pairs:.2f} s, {t_pairs / pairs_sub * 1e6:.1f} us/pair) and extrapolated to "
            f"{n_total:,} docs ({int(pairs_all):,} pairs)")
    return est, note


def run(size: str = "quick") -> list[dict[str, Any]]:
    from osint_kit.sources import text_reuse
    from osint_kit.sources.reuse import jaccard, shingles
    from osint_kit.testing.reuse_corpus import COPY_KINDS, make_reuse_corpus

    cfg = SIZES[size]
    corpus = make_reuse_corpus(n_docs=cfg["docs"], seed=7)
    ours, refs, notes = [], [], []
    df = None
    for _ in range(cfg["repeat"]):
        t0 = time.perf_counter()
        df = text_reuse(corpus.docs, threshold=0.5, passages=False)
        ours.append(time.perf_counter() - t0)
        est, note = _reference_seconds(corpus.docs, cfg["docs"], cfg["ref_docs"])
        refs.append(est)
        notes.append(note)
    assert df is not None
    found = {tuple(sorted(p)) for p in zip(df["doc_a"], df["doc_b"], strict=True)}
    truth = []
    for a, b, kind in corpus.planted:
        if jaccard(shingles(corpus.docs[a]), shingles(corpus.docs[b])) >= 0.5:
            truth.append((tuple(sorted((a, b))), kind))
    recall = sum(p in found for p, _ in truth) / len(truth)
    per_kind = {k: sum(p in found for p, kk in truth if kk == k) /
                max(1, sum(1 for _, kk in truth if kk == k)) for k in COPY_KINDS}
    t_ours, t_ref = statistics.median(ours), statistics.median(refs)
    return [
        {"measure": f"text reuse, {cfg['docs']:,} docs (time)", "osint_kit": round(t_ours, 2),
         "reference": round(t_ref, 1), "ratio": round(t_ref / t_ours, 1), "unit": "s",
         "note": f"MinHash/LSH (datasketch LSH, 64 perms, 4-word shingles) incl. shingling and "
                 f"verification vs exact all-pairs; median of {cfg['repeat']}; "
                 f"REFERENCE EXTRAPOLATED: {notes[0]}; goal >= 50x"},
        {"measure": "text reuse recall of planted pairs (J >= 0.5)",
         "osint_kit": round(recall, 4), "reference": 1.0, "ratio": round(recall, 4),
         "unit": "fraction",
         "note": f"{len(truth)} of {len(corpus.planted)} planted pairs have J >= 0.5; per kind "
                 + ", ".join(f"{k} {v:.3f}" for k, v in per_kind.items())
                 + f"; {len(df)} pairs reported (copies of one original also match each "
                   "other); the exact reference finds all by construction; goal >= 0.95"},
    ]


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
