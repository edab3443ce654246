"""Text reuse: recall on a generated corpus with planted copies, passages, boilerplate."""

from __future__ import annotations

import pytest

from osint_kit.errors import SourceError
from osint_kit.sources import text_reuse
from osint_kit.sources.reuse import REUSE_COLUMNS, all_pairs_reuse, jaccard, shingles
from osint_kit.testing.reuse_corpus import COPY_KINDS, make_reuse_corpus


@pytest.fixture(scope="module")
def corpus_2000():  # type: ignore[no-untyped-def]
    return make_reuse_corpus(n_docs=2000, copy_share=0.1, seed=11)


@pytest.mark.slow
def test_recall_on_planted_copies(corpus_2000) -> None:  # type: ignore[no-untyped-def]
    df = text_reuse(corpus_2000.docs, threshold=0.5, passages=False)
    assert list(df.columns) == list(REUSE_COLUMNS)
    found = {tuple(sorted(p)) for p in zip(df["doc_a"], df["doc_b"], strict=True)}
    sets = {k: shingles(v) for k, v in corpus_2000.docs.items()}
    truth = [(tuple(sorted((a, b))), kind) for a, b, kind in corpus_2000.planted
             if jaccard(sets[a], sets[b]) >= 0.5]
    assert len(truth) >= 0.95 * len(corpus_2000.planted)  # the planted copies are real copies
    hit = sum(pair in found for pair, _ in truth)
    assert hit / len(truth) >= 0.95
    for kind in COPY_KINDS:  # every kind of copy is found
        of_kind = [pair for pair, k in truth if k == kind]
        assert sum(p in found for p in of_kind) / len(of_kind) >= 0.9, kind
    # verified pairs only: every reported pair really is above the threshold
    assert (df["jaccard"] >= 0.5).all()


def test_matches_all_pairs_on_a_small_subset(corpus_2000) -> None:  # type: ignore[no-untyped-def]
    planted = corpus_2000.planted[:30]
    keys = sorted({k for a, b, _ in planted for k in (a, b)} | set(list(corpus_2000.docs)[:200]))
    sub = {k: corpus_2000.docs[k] for k in keys}
    exact = all_pairs_reuse(sub, threshold=0.5)
    fast = text_reuse(sub, threshold=0.5, passages=False)
    e = set(zip(exact["doc_a"], exact["doc_b"], strict=True))
    f = set(zip(fast["doc_a"], fast["doc_b"], strict=True))
    assert f <= e  # no false positives (candidates are verified)
    assert len(f & e) >= 0.95 * len(e)


def test_shared_passages_and_boilerplate_robustness() -> None:
    origin = ("The United States on Friday released satellite images that allegedly prove "
              "that North Korea is supplying Russia with weapons. The photos show Russian "
              "railway wagons that were loaded with North Korean ammunition in mid-November "
              "and then found their way into the hands of mercenaries from the Wagner Group.")
    aggregator = "\n".join(["6.4 C", "Monday, February 26, 2024", "Must read",
                            "- Advertisement -", origin.replace("allegedly", "supposedly"),
                            "- Advertisement -", "Source link", "More articles",
                            "Latest article"])
    unrelated = "Oil prices rose on Tuesday after an unexpected draw in crude inventories."
    df = text_reuse({"wire": origin, "agg": aggregator, "other": unrelated}, threshold=0.5)
    assert len(df) == 1
    row = df.iloc[0]
    assert {row["doc_a"], row["doc_b"]} == {"wire", "agg"}
    assert row["jaccard"] >= 0.7
    passages = row["shared_passages"]
    assert any("railway wagons that were loaded with North Korean ammunition" in p
               for p in passages)
    assert not any("Advertisement" in p for p in passages)
    assert row["shared_words"] >= 40


def test_edge_cases() -> None:
    assert text_reuse({}).empty
    assert text_reuse(["", "   ", "- Advertisement -"]).empty
    same = text_reuse(["short text", "short text"], passages=False)
    assert len(same) == 1 and same.iloc[0]["jaccard"] == 1.0
    with pytest.raises(SourceError):
        text_reuse(["a"], threshold=0)
    with pytest.raises(SourceError):
        text_reuse({"a": 1})  # type: ignore[dict-item]


def test_captures_are_accepted(case_dir) -> None:  # type: ignore[no-untyped-def]
    from osint_kit.sources import ingest_text

    text = (case_dir / "article_capture.txt").read_text(encoding="utf-8")
    agg = ingest_text(text)
    # a re-post of the same article with other site chrome around it
    repost = ingest_text("Home | News | World\n\nBreaking\n\n" + agg.main_text
                         + "\n\nShare | Tweet | Email\n")
    df = text_reuse({"agg": agg, "repost": repost, "other": "Unrelated words entirely here."})
    assert len(df) == 1 and df.iloc[0]["jaccard"] >= 0.9
