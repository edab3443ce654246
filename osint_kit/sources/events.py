"""From claims to timeline events: dates via ``parse_when``, confidence from the assessment.

``claim_events`` makes one ``osint_kit.timeline.Event`` per confirmed claim that has an
``about`` date (when the described thing happened): kind "claimed", the claimant as actor,
the claim's source, ``event_key`` = ``"proposition:<id>"`` (so ``Timeline.conflicts()``
flags claims about one proposition whose dates cannot overlap, e.g. "18 October" against
"18 November") and ``confidence`` = the probability of the proposition's assessment
(:func:`~osint_kit.sources.assessment.proposition_confidence`; None when it cannot be
assessed). ``proposition_events`` makes one event per proposition with a ``when``.

:func:`claim_dates` resolves a claim's two times. ``stated`` (when the statement was made)
is read against ``reference`` if given, else against the source's ``published`` date; when
the claim has no ``stated``, the source's ``published`` date stands in for it, and the
provenance says so. ``about`` is read against the claim's own ``stated`` date (a "last
month" in a statement of 22 Dec 2022 is November 2022), else against ``reference``, else
against the published date. A date that cannot be resolved is skipped and reported,
never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from osint_kit.sources.assessment import proposition_confidence
from osint_kit.sources.models import Claim, Proposition, Source


def claim_dates(claim: Claim, source: Source | None, reference: Any = None,
                tz: str | None = None) -> dict[str, Any]:
    """The claim's ``stated`` and ``about`` as ``When`` (or None) with how each was read.

    Returns ``{"stated": When | None, "stated_how": str, "about": When | None,
    "about_how": str, "errors": [str, ...]}`` (rules in the module docstring).
    """
    from osint_kit.timeline import parse_when

    published = source.published if source is not None else None
    out: dict[str, Any] = {"stated": None, "stated_how": "", "about": None, "about_how": "",
                           "errors": []}
    base, base_how = reference, f"reference {reference}"
    if base is None and published:
        base, base_how = published, f"published date of {claim.source_id} ({published})"
    if claim.stated:
        try:
            out["stated"] = parse_when(claim.stated, reference=base, tz=tz)
            out["stated_how"] = f"stated {claim.stated!r}" + (
                f" read against the {base_how}" if base is not None else "")
        except Exception as err:  # noqa: BLE001 - recorded, never guessed
            out["errors"].append(f"stated {claim.stated!r} not resolved "
                                 f"({type(err).__name__}: {err})")
    elif published:
        try:
            out["stated"] = parse_when(published, tz=tz)
            out["stated_how"] = (f"no stated date: the published date of {claim.source_id} "
                                 f"({published}) stands in")
        except Exception as err:  # noqa: BLE001 - recorded, never guessed
            out["errors"].append(f"published {published!r} of {claim.source_id} not resolved "
                                 f"({type(err).__name__}: {err})")
    if claim.about:
        ref, how = out["stated"], out["stated_how"]
        if ref is None or (not claim.stated and reference is not None):
            ref, how = base, base_how if base is not None else ""
        try:
            out["about"] = parse_when(claim.about, reference=ref, tz=tz)
            out["about_how"] = f"about {claim.about!r}" + (f" read against {how}" if how else "")
        except Exception as err:  # noqa: BLE001 - recorded, never guessed
            out["errors"].append(f"about {claim.about!r} not resolved "
                                 f"({type(err).__name__}: {err})")
    return out


def claim_events(claims: Iterable[Claim], sources: Iterable[Source], reference: Any = None,
                 tz: str | None = None,
                 include_unconfirmed: bool = False) -> tuple[list[Any], list[str]]:
    """``(events, skipped)``: timeline Events for claims with an ``about`` date, and why
    others were skipped."""
    from osint_kit.timeline import Event

    claims = list(claims)
    srcs = list(sources)
    by_id = {s.id: s for s in srcs}
    conf: dict[str, float | None] = {}
    events, skipped = [], []
    for c in claims:
        if not c.about or not (c.confirmed or include_unconfirmed):
            continue
        dates = claim_dates(c, by_id.get(c.source_id), reference=reference, tz=tz)
        when = dates["about"]
        if when is None:
            skipped.append(f"claim {c.id}: " + "; ".join(dates["errors"]))
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
            confidence=confidence, description="when the claim says the event happened",
            provenance=f"osint_kit.sources claim {c.id}; {dates['about_how']}; "
                       "confidence = probability of the proposition's assessment",
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
                       "probability of the proposition's assessment",
            event_id=f"proposition-{p.id}",
        ))
    return events, skipped
