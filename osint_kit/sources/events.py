"""From claims to timeline events: dates via ``parse_when``, confidence from the grades.

``claim_events`` makes one ``osint_kit.timeline.Event`` per confirmed claim that has a
``when``: kind "claimed", the claimant as actor, the claim's source, ``event_key`` =
``"proposition:<id>"`` (so ``Timeline.conflicts()`` flags claims about one proposition whose
dates cannot overlap, e.g. "18 October" against "18 November") and ``confidence`` =
:func:`~osint_kit.sources.independence.proposition_confidence` of its proposition.
``proposition_events`` makes one event per proposition with a ``when``.

Relative claim dates are resolved against ``reference`` if given, else against the claim's
source's ``published`` date; a claim whose date cannot be resolved is skipped and reported
in the returned ``skipped`` list (never guessed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from osint_kit.sources.independence import proposition_confidence
from osint_kit.sources.models import Claim, Proposition, Source


def claim_events(claims: Iterable[Claim], sources: Iterable[Source], reference: Any = None,
                 tz: str | None = None,
                 include_unconfirmed: bool = False) -> tuple[list[Any], list[str]]:
    """``(events, skipped)``: timeline Events for dated claims, and why others were skipped."""
    from osint_kit.timeline import Event, parse_when

    claims = list(claims)
    srcs = list(sources)
    by_id = {s.id: s for s in srcs}
    conf: dict[str, float] = {}
    events, skipped = [], []
    for c in claims:
        if not c.when or not (c.confirmed or include_unconfirmed):
            continue
        ref = reference
        how = f"reference {reference}" if reference is not None else ""
        if ref is None and c.source_id in by_id and by_id[c.source_id].published:
            ref = by_id[c.source_id].published
            how = f"published date of {c.source_id} ({ref})"
        try:
            when = parse_when(c.when, reference=ref, tz=tz)
        except Exception as err:  # noqa: BLE001 - recorded, never guessed
            skipped.append(f"claim {c.id}: {c.when!r} not resolved ({type(err).__name__}: {err})")
            continue
        confidence = None
        if c.proposition_id:
            if c.proposition_id not in conf:
                conf[c.proposition_id] = proposition_confidence(
                    c.proposition_id, claims, srcs, include_unconfirmed=include_unconfirmed)
            confidence = conf[c.proposition_id]
        events.append(Event(
            label=c.text[:120] or f"claim {c.id}", when=when, kind="claimed",
            actors=(c.claimant,) if c.claimant else (), source_ids=(c.source_id,),
            event_key=f"proposition:{c.proposition_id}" if c.proposition_id else "",
            confidence=confidence, description="date stated in a claim",
            provenance=f"osint_kit.sources claim {c.id}; date resolved against {how or 'nothing (absolute)'}; "
                       "confidence = proposition_confidence (independent origins x grades)",
            event_id=f"claim-{c.id}",
        ))
    return events, skipped


def proposition_events(propositions: Iterable[Proposition], claims: Iterable[Claim],
                       sources: Iterable[Source], reference: Any = None,
                       tz: str | None = None) -> tuple[list[Any], list[str]]:
    """``(events, skipped)``: one Event per proposition with a ``when``, graded confidence."""
    from osint_kit.timeline import Event, parse_when

    claims = list(claims)
    srcs = list(sources)
    events, skipped = [], []
    for p in propositions:
        if not p.when:
            continue
        try:
            when = parse_when(p.when, reference=reference, tz=tz)
        except Exception as err:  # noqa: BLE001 - recorded, never guessed
            skipped.append(f"proposition {p.id}: {p.when!r} not resolved ({err})")
            continue
        support = sorted({c.source_id for c in claims
                          if c.proposition_id == p.id and c.confirmed and c.stance == "supports"})
        events.append(Event(
            label=p.statement[:120] or p.id, when=when, kind="reported",
            source_ids=tuple(support), event_key=f"proposition:{p.id}",
            confidence=proposition_confidence(p.id, claims, srcs),
            description="proposition under review",
            provenance=f"osint_kit.sources proposition {p.id}; confidence = "
                       "proposition_confidence (independent origins x grades)",
            event_id=f"proposition-{p.id}",
        ))
    return events, skipped
