"""Source cross-referencing: captures, sources, claims, matrix, independence, text reuse.

Workflow: ``ingest_text`` / ``ingest_html`` -> :class:`Capture` -> ``propose_claims`` ->
(the researcher confirms claims, links them to propositions, grades sources) ->
``cross_reference`` (matrix), ``independent_origins`` (how many origins and parties really),
``assess`` / ``assessment_table`` (how likely, in ICD 203 words, with the reasons),
``text_reuse`` (who copied whom), ``weak_spots`` (what to check next). Everything loads
from and saves to CSV/YAML through :class:`SourceSet`.

Heavy libraries (trafilatura, htmldate, datasketch, networkx) load inside the functions
that use them.
"""

from __future__ import annotations

from osint_kit.sources.assessment import (
    ICD203_TERMS,
    Assessment,
    assess,
    assessment_table,
    independence_table,
    proposition_confidence,
)
from osint_kit.sources.capture.ingest import ingest_html, ingest_text
from osint_kit.sources.capture.records import Caption, Capture, DateMention, Line, Quotation
from osint_kit.sources.claims import confirm, propose_claims
from osint_kit.sources.events import claim_events, proposition_events
from osint_kit.sources.independence import (
    OriginCount,
    citation_graph,
    independent_origins,
    origins_of,
)
from osint_kit.sources.matrix import cross_reference, matrix_summary
from osint_kit.sources.models import (
    CREDIBILITY,
    RELIABILITY,
    SOURCE_KINDS,
    STANCES,
    Claim,
    Proposition,
    Source,
    grade_label,
)
from osint_kit.sources.reuse import text_reuse
from osint_kit.sources.store import SourceSet, load_csv, load_yaml, save_csv, save_yaml
from osint_kit.sources.weakspots import translation_artefacts, weak_spots

__all__ = [
    "CREDIBILITY",
    "ICD203_TERMS",
    "RELIABILITY",
    "SOURCE_KINDS",
    "STANCES",
    "Assessment",
    "Caption",
    "Capture",
    "Claim",
    "DateMention",
    "Line",
    "OriginCount",
    "Proposition",
    "Quotation",
    "Source",
    "SourceSet",
    "assess",
    "assessment_table",
    "citation_graph",
    "claim_events",
    "confirm",
    "cross_reference",
    "grade_label",
    "independence_table",
    "independent_origins",
    "ingest_html",
    "ingest_text",
    "load_csv",
    "load_yaml",
    "matrix_summary",
    "origins_of",
    "propose_claims",
    "proposition_confidence",
    "proposition_events",
    "save_csv",
    "save_yaml",
    "text_reuse",
    "translation_artefacts",
    "weak_spots",
]
