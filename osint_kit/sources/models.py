"""Sources, claims and propositions: the records a researcher edits by hand.

A **Source** is one document (a briefing transcript, a wire dispatch, an aggregator page...).
A **Proposition** is a statement about the world whose truth is in question ("North Korea
delivered rockets to Wagner by rail on 18-19 Nov 2022"). A **Claim** is one atomic assertion
found in a source, made by a claimant, that supports, contradicts or merely mentions a
proposition. Keeping the three apart is what lets two outlets repeating one briefing be seen
as one origin (see :mod:`osint_kit.sources.independence`).

Grades follow the Admiralty (NATO AJP-2.1 / STANAG 2511) system: the reliability of the
*source* (A-F) and the credibility of the *information* (1-6) are graded separately. A usually
reliable outlet (B) can pass on an improbable item (5): "B5".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from osint_kit._html import kv_table
from osint_kit.errors import SourceError

# the hash of a captured text lives with the capture records (capture does not import analysis)
from osint_kit.sources.capture.records import content_hash as content_hash

# --- Admiralty grades ------------------------------------------------------------------------

#: Source reliability (A-F): how far the *source* can be trusted, judged from its record.
RELIABILITY: Mapping[str, tuple[str, str]] = {
    "A": ("Completely reliable",
          "No doubt of authenticity, trustworthiness or competency; a history of complete reliability."),
    "B": ("Usually reliable",
          "Minor doubt about authenticity, trustworthiness or competency; a history of valid "
          "information most of the time."),
    "C": ("Fairly reliable",
          "Doubt of authenticity, trustworthiness or competency, but has provided valid "
          "information in the past."),
    "D": ("Not usually reliable",
          "Significant doubt about authenticity, trustworthiness or competency, but has provided "
          "valid information in the past."),
    "E": ("Unreliable",
          "Lacking in authenticity, trustworthiness and competency; a history of invalid "
          "information."),
    "F": ("Reliability cannot be judged",
          "No basis exists for evaluating the reliability of the source (e.g. a new source)."),
}

#: Information credibility (1-6): how believable *this item* is, judged from its content.
CREDIBILITY: Mapping[int, tuple[str, str]] = {
    1: ("Confirmed by other sources",
        "Confirmed by other independent sources; logical in itself; consistent with other "
        "information on the subject."),
    2: ("Probably true",
        "Not confirmed; logical in itself; consistent with other information on the subject."),
    3: ("Possibly true",
        "Not confirmed; reasonably logical in itself; agrees with some other information on "
        "the subject."),
    4: ("Doubtful",
        "Not confirmed; possible but not logical; no other information on the subject."),
    5: ("Improbable",
        "Not confirmed; not logical in itself; contradicted by other information on the "
        "subject."),
    6: ("Truth cannot be judged",
        "No basis exists for evaluating the validity of the information."),
}

#: Kinds of source. "other" is allowed; anything else is refused so typos in a hand-edited
#: CSV are caught at load time.
SOURCE_KINDS: tuple[str, ...] = (
    "primary statement", "primary imagery", "wire", "secondary report", "translation",
    "aggregator copy", "denial", "official record", "social media post", "other",
)

SUPPORTS = "supports"
CONTRADICTS = "contradicts"
MENTIONS = "mentions"
SILENT = "silent"
MIXED = "mixed"
#: Stances a claim can take towards its proposition.
STANCES: tuple[str, ...] = (SUPPORTS, CONTRADICTS, MENTIONS)


def grade_label(reliability: str, credibility: int) -> str:
    """``"B2 - Usually reliable / Probably true"``: the grade with its standard meanings."""
    r = RELIABILITY[reliability][0]
    c = CREDIBILITY[credibility][0]
    return f"{reliability}{credibility} - {r} / {c}"


def _opt(value: str | None) -> str | None:
    """Empty optional strings become None, so CSV round trips are lossless."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise SourceError(f"expected text, got {type(value).__name__}: {value!r}")
    return value if value.strip() else None


def _ids(value: Any, what: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [v for v in value.replace(",", ";").split(";")]
    out = tuple(str(v).strip() for v in value if str(v).strip())
    for item in out:
        if ";" in item or "," in item:
            raise SourceError(f"{what}: id {item!r} must not contain ';' or ','")
    return out


def _check_id(value: str, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SourceError(f"{what} needs a non-empty id (got {value!r})")
    if any(ch in value for ch in ";,\n\r") or value != value.strip():
        raise SourceError(
            f"{what} id {value!r} must not contain ';', ',', line breaks or edge spaces "
            "(ids are joined with ';' in CSV files)"
        )


class _Record:
    """Shared helpers: dict conversion and escaped HTML display."""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (tuples stay tuples) in field order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]

    def _repr_html_(self) -> str:
        rows = []
        for key, value in self.to_dict().items():
            if isinstance(value, tuple):
                value = "; ".join(str(v) for v in value)
            rows.append((key, value))
        return kv_table(rows, title=type(self).__name__)


@dataclass(frozen=True)
class Source(_Record):
    """One document as captured, with its grades and what it cites or copies.

    ``published`` is a date expression as text ("2023-01-20", "20 Jan 2023"); resolve it
    with :meth:`published_when`. ``cites`` / ``copies`` hold other source ids: "cites" means
    it names them as its source, "copies" means its text was taken from them (text reuse).
    ``party`` is the government or organisation the source speaks for ("US government",
    "DPRK government"): statements of one party count as one origin
    (:mod:`osint_kit.sources.independence`). Leave it empty for outlets that speak for
    nobody but themselves.
    """

    id: str
    title: str = ""
    publisher: str | None = None
    author: str | None = None
    party: str | None = None
    url: str | None = None
    kind: str = "other"
    language: str | None = None
    published: str | None = None
    captured_at: str | None = None
    cites: tuple[str, ...] = ()
    copies: tuple[str, ...] = ()
    reliability: str = "F"
    credibility: int = 6
    content_hash: str | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        _check_id(self.id, "Source")
        for name in ("publisher", "author", "party", "url", "language", "published",
                     "captured_at", "content_hash", "notes"):
            object.__setattr__(self, name, _opt(getattr(self, name)))
        object.__setattr__(self, "title", self.title or "")
        object.__setattr__(self, "cites", _ids(self.cites, f"Source {self.id} cites"))
        object.__setattr__(self, "copies", _ids(self.copies, f"Source {self.id} copies"))
        if self.kind not in SOURCE_KINDS:
            raise SourceError(
                f"Source {self.id}: unknown kind {self.kind!r}; use one of {', '.join(SOURCE_KINDS)}"
            )
        rel = str(self.reliability).strip().upper()
        if rel not in RELIABILITY:
            raise SourceError(
                f"Source {self.id}: reliability {self.reliability!r} is not an Admiralty "
                "grade A-F (F = cannot be judged)"
            )
        object.__setattr__(self, "reliability", rel)
        try:
            cred = int(self.credibility)
        except (TypeError, ValueError) as err:
            raise SourceError(
                f"Source {self.id}: credibility {self.credibility!r} is not 1-6 "
                "(6 = cannot be judged)"
            ) from err
        if cred not in CREDIBILITY:
            raise SourceError(
                f"Source {self.id}: credibility {cred} is not 1-6 (6 = cannot be judged)"
            )
        object.__setattr__(self, "credibility", cred)
        if self.id in self.cites or self.id in self.copies:
            raise SourceError(f"Source {self.id} cannot cite or copy itself")

    @property
    def grade(self) -> str:
        """The Admiralty grade, e.g. ``"B2"``."""
        return f"{self.reliability}{self.credibility}"

    @property
    def grade_meaning(self) -> str:
        """The grade with its standard meanings spelled out."""
        return grade_label(self.reliability, self.credibility)

    @property
    def derived_from(self) -> tuple[str, ...]:
        """Everything this source rests on (cited or copied), without duplicates."""
        return tuple(dict.fromkeys(self.cites + self.copies))

    def published_when(self, reference: Any = None, tz: str | None = None) -> Any:
        """``published`` as a timeline ``When`` (via ``osint_kit.timeline.parse_when``)."""
        if self.published is None:
            raise SourceError(f"Source {self.id} has no published date")
        from osint_kit.timeline import parse_when  # lazy: timeline is a sibling domain

        return parse_when(self.published, reference=reference, tz=tz)

    def with_text(self, text: str) -> Source:
        """A copy whose ``content_hash`` is the hash of ``text`` (the captured main text)."""
        from dataclasses import replace

        return replace(self, content_hash=content_hash(text))

    def __repr__(self) -> str:
        return f"Source({self.id!r}, {self.kind!r}, {self.grade}, {self.title[:40]!r})"

    def _repr_html_(self) -> str:
        base = super()._repr_html_()
        return base + kv_table([("grade meaning", self.grade_meaning)])


@dataclass(frozen=True)
class Proposition(_Record):
    """A statement whose truth is in question; claims support or contradict it."""

    id: str
    statement: str = ""
    when: str | None = None
    where: str | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        _check_id(self.id, "Proposition")
        object.__setattr__(self, "statement", self.statement or "")
        for name in ("when", "where", "notes"):
            object.__setattr__(self, name, _opt(getattr(self, name)))

    def __repr__(self) -> str:
        return f"Proposition({self.id!r}, {self.statement[:50]!r})"


@dataclass(frozen=True)
class Claim(_Record):
    """One atomic assertion: who (claimant) says what (text), where it appears (source_id).

    A claim carries two times, both date expressions as text: ``stated``, when the statement
    was made ("Friday", "2022-12-22"; left empty, analyses use the source's ``published``
    date and say so), and ``about``, when the thing it describes happened ("November 18th",
    "last month", resolved against the stated date). Files written before the split have one
    ``when`` field: it loads as ``about`` (:mod:`osint_kit.sources.store`).

    ``origin_id`` optionally names the source the claimant's statement comes from when the
    claim is reported second-hand (an outlet quoting a briefing): independence counting then
    starts there rather than at the reporting outlet. ``confirmed`` is False for candidates
    proposed by :func:`osint_kit.sources.claims.propose_claims` until the researcher checks
    them; ``provenance`` says which rule proposed it.
    """

    id: str
    source_id: str
    text: str = ""
    claimant: str | None = None
    proposition_id: str | None = None
    stance: str = MENTIONS
    is_quote: bool = False
    stated: str | None = None
    about: str | None = None
    where: str | None = None
    origin_id: str | None = None
    confirmed: bool = False
    provenance: str | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        _check_id(self.id, "Claim")
        _check_id(self.source_id, f"Claim {self.id} source_id")
        object.__setattr__(self, "text", self.text or "")
        for name in ("claimant", "proposition_id", "stated", "about", "where", "origin_id",
                     "provenance", "notes"):
            object.__setattr__(self, name, _opt(getattr(self, name)))
        if self.stance not in STANCES:
            raise SourceError(
                f"Claim {self.id}: stance {self.stance!r} is not one of {', '.join(STANCES)}"
            )
        object.__setattr__(self, "is_quote", _as_bool(self.is_quote, f"Claim {self.id} is_quote"))
        object.__setattr__(self, "confirmed",
                           _as_bool(self.confirmed, f"Claim {self.id} confirmed"))

    def __repr__(self) -> str:
        return (f"Claim({self.id!r}, {self.source_id!r}, {self.stance}, "
                f"{self.proposition_id!r}, {self.text[:40]!r})")


def _as_bool(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "y"):
        return True
    if text in ("false", "no", "0", "n", "", "none"):
        return False
    raise SourceError(f"{what}: {value!r} is not true/false")


def admiralty_table() -> list[tuple[str, str, str]]:
    """Both scales as rows (code, meaning, description), for docs and displays."""
    rows = [(k, v[0], v[1]) for k, v in RELIABILITY.items()]
    rows += [(str(k), v[0], v[1]) for k, v in CREDIBILITY.items()]
    return rows
