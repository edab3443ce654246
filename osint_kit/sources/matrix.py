"""The cross-reference matrix: propositions (rows) x sources (columns).

Each cell says what the source does with the proposition: ``supports``, ``contradicts``,
``mentions`` (names it without taking a side), ``silent`` (no claim at all) or ``mixed``
(claims on both sides in one source, e.g. an article quoting a briefing and a denial).
Unconfirmed candidate claims are left out unless ``include_unconfirmed=True``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from osint_kit.errors import SourceError
from osint_kit.sources.models import (
    CONTRADICTS,
    MENTIONS,
    MIXED,
    SILENT,
    SUPPORTS,
    Claim,
    Proposition,
    Source,
)

#: Every value a matrix cell can take, in display order.
CELL_VALUES: tuple[str, ...] = (SUPPORTS, CONTRADICTS, MIXED, MENTIONS, SILENT)


def _cell(stances: set[str]) -> str:
    if SUPPORTS in stances and CONTRADICTS in stances:
        return MIXED
    if SUPPORTS in stances:
        return SUPPORTS
    if CONTRADICTS in stances:
        return CONTRADICTS
    if MENTIONS in stances:
        return MENTIONS
    return SILENT


def cross_reference(claims: Iterable[Claim], sources: Iterable[Source],
                    propositions: Iterable[Proposition] | None = None,
                    include_unconfirmed: bool = False) -> pd.DataFrame:
    """Propositions x sources DataFrame of :data:`CELL_VALUES` strings.

    Rows are proposition ids (index named ``proposition``), columns source ids in the given
    order. When ``propositions`` is None the ids used by the claims are taken, in order of
    first appearance. Claims naming an unknown source or proposition raise SourceError.
    """
    srcs = list(sources)
    src_ids = [s.id for s in srcs]
    claims = [c for c in claims if c.proposition_id is not None and
              (c.confirmed or include_unconfirmed)]
    if propositions is None:
        prop_ids = list(dict.fromkeys(c.proposition_id for c in claims if c.proposition_id))
    else:
        prop_ids = [p.id for p in propositions]
    known_s, known_p = set(src_ids), set(prop_ids)
    cells: dict[tuple[str, str], set[str]] = {}
    for c in claims:
        if c.source_id not in known_s:
            raise SourceError(f"claim {c.id} is in source {c.source_id!r}, which is not among "
                              "the sources given")
        if c.proposition_id not in known_p:
            raise SourceError(f"claim {c.id} is about proposition {c.proposition_id!r}, which "
                              "is not among the propositions given")
        cells.setdefault((str(c.proposition_id), c.source_id), set()).add(c.stance)
    data = [[_cell(cells.get((p, s), set())) for s in src_ids] for p in prop_ids]
    df = pd.DataFrame(data, index=pd.Index(prop_ids, name="proposition"),
                      columns=pd.Index(src_ids, name="source"), dtype=object)
    return df


def matrix_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per proposition: how many sources in each cell value (columns = CELL_VALUES)."""
    counts = {v: (df == v).sum(axis=1) for v in CELL_VALUES}
    return pd.DataFrame(counts, index=df.index).astype(int)
