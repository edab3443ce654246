"""A generated corpus with planted copies, for testing and benchmarking text reuse.

Originals are random "news" texts over a Zipf-distributed pseudo-vocabulary; a share of
documents are planted copies of an original, of three kinds: ``verbatim`` (same text,
different spacing), ``wrapped`` (the text inside site boilerplate: ads, "Source link",
"More articles", a weather widget, a menu) and ``edited`` (a few percent of words replaced,
one sentence dropped, case and punctuation changed). The truth is returned with the texts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

COPY_KINDS: tuple[str, ...] = ("verbatim", "wrapped", "edited")
_SYLLABLES = ("ka", "ro", "mi", "ta", "ne", "lo", "su", "pa", "vi", "de", "no", "ra", "gu",
              "li", "be", "zo", "fa", "ki", "mo", "te", "sha", "vor", "el", "an")
_WRAP_HEAD = ("6.4 C", "Home | World | Politics | Sport", "Must read", "- Advertisement -")
_WRAP_TAIL = ("- Advertisement -", "Source link", "More articles", "Latest article",
              "Share | Tweet | Email")


@dataclass(frozen=True)
class ReuseCorpus:
    """Texts by id and the planted pairs (copy id, original id, kind)."""

    docs: dict[str, str]
    planted: tuple[tuple[str, str, str], ...]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _text(rng: random.Random, vocab: list[str], picks: list[int], n_words: int) -> str:
    words = [vocab[i] for i in picks[:n_words]]
    sentences, i = [], 0
    while i < len(words):
        n = rng.randint(8, 20)
        chunk = words[i:i + n]
        sentences.append(chunk[0].capitalize() + " " + " ".join(chunk[1:]) + ".")
        i += n
    return " ".join(sentences)


def _edit(rng: random.Random, text: str, vocab: list[str], rate: float) -> str:
    sentences = text.split(". ")
    if len(sentences) > 4:
        del sentences[rng.randrange(len(sentences))]
    words = ". ".join(sentences).split()
    for i in range(len(words)):
        if rng.random() < rate:
            words[i] = rng.choice(vocab)
    out = " ".join(words)
    return out.replace(".", ";", 2).upper() if rng.random() < 0.2 else out.replace(".", ",", 2)


def make_reuse_corpus(n_docs: int = 10_000, copy_share: float = 0.1, seed: int = 7,
                      words: tuple[int, int] = (150, 300), vocab_size: int = 20_000,
                      edit_rate: float = 0.02) -> ReuseCorpus:
    """``n_docs`` texts of which about ``copy_share`` are planted copies of others."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng, vocab_size)
    weights = np.array([1.0 / (r + 1) ** 0.8 for r in range(len(vocab))])
    nprng = np.random.default_rng(seed)
    n_copies = int(n_docs * copy_share)
    n_orig = n_docs - n_copies
    lengths = [rng.randint(*words) for _ in range(n_orig)]
    picks = nprng.choice(len(vocab), size=sum(lengths), p=weights / weights.sum()).tolist()
    docs = {}
    at = 0
    for i, n in enumerate(lengths):
        docs[f"d{i:05d}"] = _text(rng, vocab, picks[at:at + n], n)
        at += n
    originals = list(docs)
    planted = []
    for j in range(n_copies):
        src = rng.choice(originals)
        kind = COPY_KINDS[j % len(COPY_KINDS)]
        text = docs[src]
        if kind == "verbatim":
            copy = text.replace(". ", ".  ")
        elif kind == "wrapped":
            copy = "\n".join([*_WRAP_HEAD, text, *_WRAP_TAIL])
        else:
            copy = _edit(rng, text, vocab, edit_rate)
        cid = f"d{n_orig + j:05d}"
        docs[cid] = copy
        planted.append((cid, src, kind))
    return ReuseCorpus(docs=docs, planted=tuple(planted))
