"""Load the bundled worked case (``examples/``) or the practice case from their plain files.

The case is kept as hand-editable files so that it can be read, diffed and reviewed:
``case/capture/article_capture.txt``, ``case/sources.yaml``, ``case/claims.yaml``,
``case/propositions.yaml``, ``case/events.yaml``, ``case/places.yaml`` and the
``evidence/`` folder of reconstructions. The practice case (``examples/practice/``, constructed
for teaching) has the same layout and is loaded by the same functions. These loaders only join the domain loaders
(:func:`osint_kit.sources.store.load_yaml`, :func:`osint_kit.geo.load_places`,
:func:`osint_kit.timeline.io.read_yaml`); nothing here analyses anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osint_kit._html import kv_table
from osint_kit.errors import OsintKitError

#: SHA-256 of the bundled capture (byte-identical copy of the case's article_capture.txt).
CAPTURE_SHA256 = "5b10e2d625a2bce7ae6954f5ad5b10a248080ff6c6395dab56ea02084c530e88"


#: Titles of the two bundled cases (``load_example_case`` picks one by folder).
WORKED_TITLE = "Worked case: North Korean railcars for Wagner"
PRACTICE_TITLE = "Practice case (CONSTRUCTED FOR TEACHING): the ferry Lanterna"


def _root(path: str | Path) -> Path:
    """Accept ``examples/``, ``examples/case/``, ``examples/practice/`` or its ``case/``."""
    p = Path(path)
    if (p / "case").is_dir():
        return p
    if p.name == "case" and p.is_dir():
        return p.parent
    raise OsintKitError(
        f"{p} is not the examples folder (expected {p}/case/sources.yaml); notebooks find it "
        "as ../examples relative to notebooks/"
    )


def load_sources(path: str | Path) -> Any:
    """Sources, claims and propositions of the case as one ``SourceSet``."""
    from osint_kit.sources.store import SourceSet, load_yaml

    case = _root(path) / "case"
    sources = load_yaml(case / "sources.yaml")
    claims = load_yaml(case / "claims.yaml")
    props = load_yaml(case / "propositions.yaml")
    return SourceSet(sources=sources.sources, claims=claims.claims,
                     propositions=props.propositions)


def _title(root: Path) -> str:
    return PRACTICE_TITLE if root.name == "practice" else WORKED_TITLE


def load_events(path: str | Path, title: str | None = None) -> Any:
    """The case's events as a ``Timeline``: ``case/events.yaml`` read by the timeline's own
    YAML reader (:func:`osint_kit.timeline.io.read_yaml`: dates resolved with their
    references and zones)."""
    from osint_kit.timeline.io import read_yaml

    root = _root(path)
    timeline = read_yaml(root / "case" / "events.yaml")
    timeline.title = title or _title(root)
    return timeline


def load_places(path: str | Path) -> list[Any]:
    """The case's places (``osint_kit.geo.Place`` with uncertainty radii and sources)."""
    from osint_kit.geo import load_places as _load

    return list(_load(_root(path) / "case" / "places.yaml"))


def capture_path(path: str | Path) -> Path:
    """Path of the bundled capture of the aggregator page."""
    return _root(path) / "case" / "capture" / "article_capture.txt"


@dataclass(frozen=True)
class ExampleCase:
    """Everything in ``examples/``, loaded: the starting point of every notebook."""

    root: Path
    capture_text: str
    sources: Any
    timeline: Any
    places: tuple[Any, ...]
    title: str = WORKED_TITLE

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def capture_path(self) -> Path:
        return capture_path(self.root)

    def place(self, name: str) -> Any:
        """The place with this name."""
        for p in self.places:
            if p.name == name:
                return p
        raise OsintKitError(f"no place named {name!r}; known: {[p.name for p in self.places]}")

    def __repr__(self) -> str:
        return (f"ExampleCase({str(self.root)!r}: {len(self.sources.sources)} sources, "
                f"{len(self.sources.claims)} claims, {len(self.timeline)} events, "
                f"{len(self.places)} places)")

    def _repr_html_(self) -> str:
        return kv_table([
            ("folder", self.root),
            ("capture", f"{self.capture_path.name} ({len(self.capture_text)} characters)"),
            ("sources", len(self.sources.sources)),
            ("claims", len(self.sources.claims)),
            ("propositions", len(self.sources.propositions)),
            ("events", len(self.timeline)),
            ("places", ", ".join(p.name for p in self.places)),
            ("evidence files", len(list(self.evidence_dir.glob("*.jpg")))),
        ], title=self.title)


def load_example_case(path: str | Path = "../examples") -> ExampleCase:
    """Load a bundled case: ``examples/`` (the worked case; default: as seen from
    ``notebooks/``) or ``examples/practice`` (the practice case)."""
    root = _root(path).resolve()
    text = capture_path(root).read_text(encoding="utf-8")
    return ExampleCase(root=root, capture_text=text, sources=load_sources(root),
                       timeline=load_events(root), places=tuple(load_places(root)),
                       title=_title(root))


def find_examples(start: str | Path = ".") -> Path:
    """The nearest ``examples/`` folder holding the case, looking in ``start`` and its parents.

    Notebooks run with their own folder as working directory (``notebooks/``, or
    ``build/student/`` for a student build), so the case is found wherever they are copied
    inside the repository. The environment variable ``OSINT_KIT_EXAMPLES`` overrides the
    search (a student folder outside the repository).
    """
    override = os.environ.get("OSINT_KIT_EXAMPLES")
    if override:
        return _root(override)
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "examples"
        if (candidate / "case" / "sources.yaml").is_file():
            return candidate
    raise OsintKitError(
        f"no examples/case/sources.yaml in {here} or its parents: run the notebook from inside "
        "the osint_kit repository (or copy examples/ next to it)"
    )


def output_dir(name: str = "notebooks") -> Path:
    """Where notebooks write their results: ``build/<name>`` next to ``examples/``.

    ``OSINT_KIT_OUTPUT`` overrides it (the test suite points it at a temporary folder).
    The folder is created.
    """
    override = os.environ.get("OSINT_KIT_OUTPUT")
    folder = Path(override) if override else find_examples().parent / "build" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


#: The source the evidence files are attached to: the case authors' reconstructions, which
#: say so in their own record (never the US imagery they stand in for).
RECONSTRUCTIONS_SOURCE = "teaching_reconstructions"

#: The case's open items (CASE_FACTS section 7): written into the case as notes tagged "open".
OPEN_QUESTIONS: tuple[str, ...] = (
    "The official White House transcript of 20 Jan 2023: title, URL and exact wording, "
    "including whether 'Tumangang' or 'Khasan' is spoken.",
    "The original Polish article (TVN24?) and the exact phrase that became 'Wagner ships'.",
    "The US-released images: sensor, acquisition times, labels, and whether the loading on "
    "19 Nov was at Tumangang or further down the dual-gauge line.",
    "Whether the UN Panel of Experts' reports (S/2023/171, S/2023/656, S/2024/215) addressed "
    "the Nov 2022 Wagner delivery.",
    "Whether BBC, Rzeczpospolita or Onet covered the 20 Jan 2023 release.",
    "Exact coordinates of Khasan station and of the secure Tumangang freight yard.",
    "What the containers held: the imagery does not show it.",
)


def build_case(
    dest: str | Path,
    example: ExampleCase | None = None,
    title: str = "North Korean railcars for Wagner (worked case)",
    overwrite: bool = False,
    evidence_source: str = RECONSTRUCTIONS_SOURCE,
    evidence_note: str = "RECONSTRUCTION FOR TEACHING - not the released image",
    evidence_from: str = "examples/make_reconstructions.py",
    open_questions: tuple[str, ...] = OPEN_QUESTIONS,
) -> Any:
    """Create a ``Case`` in ``dest`` holding the whole worked case; return it (open).

    Sources, propositions, claims and events come from the YAML files, the reconstructions
    are taken in as evidence attached to the source that says they are reconstructions
    (``RECONSTRUCTIONS_SOURCE``; the originals in ``examples/evidence`` are only read), and the
    open items become notes tagged ``open``. ``overwrite`` removes an existing folder first.
    For the practice case pass its ``example``, ``evidence_source`` (the source its photos
    belong to), ``evidence_note``, ``evidence_from`` and ``open_questions=()``.
    """
    import shutil

    from osint_kit.case.case import Case

    ex = example if example is not None else load_example_case(find_examples())
    folder = Path(dest)
    if folder.exists() and overwrite:
        shutil.rmtree(folder)
    case = Case.create(folder, title=title)
    for source in ex.sources.sources:
        case.add_source(source)
    for prop in ex.sources.propositions:
        case.add_proposition(prop)
    for claim in ex.sources.claims:
        case.add_claim(claim)
    for row in ex.timeline.df.to_dict("records"):
        row["id"] = row.pop("event_id")
        for key in ("earliest", "latest"):
            row[key] = row[key].isoformat()
        if row.get("confidence") != row.get("confidence"):  # NaN: not assessed
            row["confidence"] = None
        case.add_event(row)
    for path in sorted(ex.evidence_dir.glob("*.jpg")):
        case.add_evidence(
            path,
            source=evidence_source,
            acquired_from=evidence_from,
            notes=evidence_note,
        )
    for question in open_questions:
        case.add_note(question, tags="open")
    return case
