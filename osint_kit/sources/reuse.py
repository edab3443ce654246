"""Text reuse: which captures copy which, with the shared passages.

Pipeline (datasketch MinHash/LSH for the search, exact checks on the few candidates):

1. **Clean**: drop boilerplate lines (the rules of :mod:`~osint_kit.sources.capture.boilerplate`:
   ads, "Source link", "More articles", weather...), lower-case, keep letters and digits.
2. **Shingle**: overlapping word ``shingle_size``-grams (4 by default: small enough that a
   lightly reworded copy keeps most of its shingles, large enough that unrelated texts share
   almost none), hashed with CRC-32.
3. **MinHash + LSH** (``num_perm`` = 64 permutations by default: the estimate only picks
   candidates, which are then verified exactly; banding tuned for recall at
   ``threshold``): candidate pairs without comparing all pairs.
4. **Verify**: exact Jaccard of the shingle sets for each candidate; pairs below
   ``threshold`` are dropped, so results have no LSH false positives.
5. **Passages** (optional): difflib aligns the two word sequences of each found pair and
   returns the runs of at least ``min_passage_words`` shared words.
"""

from __future__ import annotations

import difflib
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from osint_kit.errors import SourceError
from osint_kit.sources.capture.boilerplate import classify_boilerplate

REUSE_COLUMNS: tuple[str, ...] = (
    "doc_a", "doc_b", "jaccard", "jaccard_estimate", "shared_passages", "shared_words",
)
_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_PASSAGE_WORDS = 20_000


def clean_text(text: str, strip_boilerplate: bool = True) -> str:
    """The text without boilerplate lines (for reuse comparison)."""
    if not strip_boilerplate:
        return text
    return "\n".join(ln for ln in text.splitlines() if classify_boilerplate(ln) is None)


def tokens(text: str, strip_boilerplate: bool = True) -> list[str]:
    """Lower-case word tokens of the cleaned text."""
    return _TOKEN.findall(clean_text(text, strip_boilerplate).lower())


_MULT = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
         0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x27D4EB2F165667C5, 0x94D049BB133111EB)


class _TokenHashes(dict[str, int]):
    """CRC-32 of each token, computed once per distinct token."""

    def __missing__(self, key: str) -> int:
        value = zlib.crc32(key.encode("utf-8"))
        self[key] = value
        return value


def shingle_array(text: str, shingle_size: int = 4, strip_boilerplate: bool = True,
                  _cache: _TokenHashes | None = None) -> Any:
    """Sorted unique uint64 hashes of the word ``shingle_size``-grams (numpy array).

    Each token is hashed once (CRC-32); a shingle's hash is ``sum(h_i * M_i) mod 2**64``
    over its tokens with fixed odd multipliers, computed for the whole text at once.
    """
    import numpy as np

    if not 1 <= shingle_size <= len(_MULT):
        raise SourceError(f"shingle_size must be 1..{len(_MULT)}, got {shingle_size}")
    toks = tokens(text, strip_boilerplate)
    if not toks:
        return np.empty(0, dtype=np.uint64)
    cache = _cache if _cache is not None else _TokenHashes()
    hv = np.fromiter(map(cache.__getitem__, toks), dtype=np.uint64, count=len(toks))
    k = min(shingle_size, len(toks))
    n = len(toks) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            acc += hv[i:i + n] * np.uint64(_MULT[i])
    return np.unique(acc)


def shingles(text: str, shingle_size: int = 4, strip_boilerplate: bool = True) -> set[int]:
    """The shingle hashes of ``text`` as a Python set (see :func:`shingle_array`)."""
    return set(shingle_array(text, shingle_size, strip_boilerplate).tolist())


def jaccard(a: set[int], b: set[int]) -> float:
    """Exact Jaccard similarity of two shingle sets (0 for two empty sets)."""
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _array_jaccard(a: Any, b: Any) -> float:
    import numpy as np

    if not len(a) and not len(b):
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def shared_passages(a: str, b: str, min_words: int = 8,
                    strip_boilerplate: bool = True) -> list[str]:
    """Runs of at least ``min_words`` words that both texts share (case-insensitive)."""
    wa = clean_text(a, strip_boilerplate).split()[:MAX_PASSAGE_WORDS]
    wb = clean_text(b, strip_boilerplate).split()[:MAX_PASSAGE_WORDS]
    na = [re.sub(r"\W+", "", w.lower()) for w in wa]
    nb = [re.sub(r"\W+", "", w.lower()) for w in wb]
    matcher = difflib.SequenceMatcher(None, na, nb, autojunk=False)
    out = []
    for block in matcher.get_matching_blocks():
        if block.size >= min_words:
            out.append(" ".join(wa[block.a: block.a + block.size]))
    return out


def _as_mapping(docs: Mapping[str, Any] | Sequence[Any]) -> dict[str, str]:
    if isinstance(docs, Mapping):
        out = {str(k): v for k, v in docs.items()}
    else:
        out = {str(i): v for i, v in enumerate(docs)}
    for key, value in out.items():
        if hasattr(value, "main_text") and hasattr(value, "lines"):
            out[key] = value.main_text  # a Capture: compare its main text
            continue
        if not isinstance(value, str):
            raise SourceError(f"text_reuse: document {key!r} is {type(value).__name__}, "
                              "expected str (use capture.main_text for captures)")
    return out


_CHUNK_VALUES = 200_000


def minhash_signatures(sets: Mapping[str, Any], num_perm: int = 64,
                       seed: int = 1) -> dict[str, Any]:
    """datasketch MinHash per document (documents without shingles are left out).

    The signatures are computed for many documents at once with numpy (multiply-shift
    hashing ``(a * x + b) mod 2**64 >> 32`` with odd random ``a``), which is what makes 10,000
    documents take seconds; they are wrapped in datasketch ``MinHash`` objects (scheme
    "legacy" = plain uint64 values) so datasketch's LSH index and ``jaccard`` work on them.
    """
    import numpy as np
    from datasketch import MinHash

    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    proto = MinHash(num_perm=num_perm, seed=seed, scheme="legacy")
    keys = [k for k, v in sets.items() if len(v)]
    out: dict[str, Any] = {}
    start = 0
    while start < len(keys):
        chunk: list[str] = []
        total = 0
        while start < len(keys) and (not chunk or total < _CHUNK_VALUES):
            chunk.append(keys[start])
            total += len(sets[keys[start]])
            start += 1
        values = np.concatenate([np.asarray(sets[k], dtype=np.uint64) for k in chunk])
        offsets = np.cumsum([0] + [len(sets[k]) for k in chunk[:-1]])
        hashed = np.empty((num_perm, len(values)), dtype=np.uint64)  # rows contiguous
        with np.errstate(over="ignore"):
            np.multiply(a[:, None], values[None, :], out=hashed)
            np.add(hashed, b[:, None], out=hashed)
        np.right_shift(hashed, np.uint64(32), out=hashed)
        mins = np.minimum.reduceat(hashed, offsets, axis=1).T
        for key, row in zip(chunk, mins, strict=True):
            out[key] = MinHash(num_perm=num_perm, seed=seed, hashvalues=row,
                               permutations=proto.permutations, scheme="legacy")
    return out


def candidate_pairs(signatures: Mapping[str, Any], threshold: float = 0.5,
                    num_perm: int = 64) -> set[tuple[str, str]]:
    """Pairs that share an LSH bucket (banding weighted towards recall)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.1, 0.9))
    with lsh.insertion_session() as session:
        for key, m in signatures.items():
            session.insert(key, m, check_duplication=False)
    pairs: set[tuple[str, str]] = set()
    for table in lsh.hashtables:
        for bucket in table._dict.values():
            if len(bucket) < 2:
                continue
            members = sorted(bucket)
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    pairs.add((a, b))
    return pairs


def text_reuse(docs: Mapping[str, Any] | Sequence[Any], threshold: float = 0.5,
               shingle_size: int = 4, num_perm: int = 64, strip_boilerplate: bool = True,
               passages: bool = True, min_passage_words: int = 8,
               seed: int = 1) -> pd.DataFrame:
    """Pairs of documents whose texts overlap with Jaccard >= ``threshold`` (REUSE_COLUMNS).

    ``docs`` maps ids to texts or Captures (their ``main_text`` is used); a list gets ids
    "0", "1", ... ``jaccard`` is exact on the shingle sets, ``jaccard_estimate`` the MinHash
    estimate that found the pair. Rows are sorted by ``jaccard``, highest first;
    ``doc_a < doc_b``.
    """
    if not 0.0 < threshold <= 1.0:
        raise SourceError(f"threshold must be in (0, 1], got {threshold}")
    texts = _as_mapping(docs)
    cache = _TokenHashes()
    arrays = {k: shingle_array(v, shingle_size, strip_boilerplate, cache)
              for k, v in texts.items()}
    sigs = minhash_signatures(arrays, num_perm=num_perm, seed=seed)
    rows = []
    for a, b in candidate_pairs(sigs, threshold=threshold, num_perm=num_perm):
        exact = _array_jaccard(arrays[a], arrays[b])
        if exact < threshold:
            continue
        found = shared_passages(texts[a], texts[b], min_passage_words, strip_boilerplate) \
            if passages else []
        rows.append({"doc_a": a, "doc_b": b, "jaccard": round(exact, 4),
                     "jaccard_estimate": round(float(sigs[a].jaccard(sigs[b])), 4),
                     "shared_passages": tuple(found),
                     "shared_words": sum(len(p.split()) for p in found)})
    df = pd.DataFrame(rows, columns=list(REUSE_COLUMNS))
    return df.sort_values(["jaccard", "doc_a", "doc_b"], ascending=[False, True, True],
                          ignore_index=True)


def all_pairs_reuse(docs: Mapping[str, Any] | Sequence[Any], threshold: float = 0.5,
                    shingle_size: int = 4, strip_boilerplate: bool = True) -> pd.DataFrame:
    """Reference implementation: exact Jaccard of every pair (quadratic; small sets only)."""
    texts = _as_mapping(docs)
    keys = sorted(texts)
    sets = [shingles(texts[k], shingle_size, strip_boilerplate) for k in keys]
    rows = []
    for i, a in enumerate(keys):
        sa = sets[i]
        for j in range(i + 1, len(keys)):
            j_ab = jaccard(sa, sets[j])
            if j_ab >= threshold:
                rows.append({"doc_a": a, "doc_b": keys[j], "jaccard": round(j_ab, 4)})
    return pd.DataFrame(rows, columns=["doc_a", "doc_b", "jaccard"])
