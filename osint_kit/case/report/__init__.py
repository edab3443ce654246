"""The case report: an evidence-chain document in one self-contained HTML file, with a
Markdown twin and an optional PDF printed by Chromium.

Order: conclusions (each proposition, its assessment and why, the independent origins for
and against, denials, what stays open), sources (title, publisher, date, link, Admiralty
grade, capture hash), evidence (thumbnail, status, findings in words), timeline, the
claims x sources matrix, and appendices with the custody log and every hash.

* :mod:`~osint_kit.case.report.model` - the content as frozen records, from the case tables;
  assessments and origins come from :mod:`osint_kit.sources`, never from a rule of its own;
* :mod:`~osint_kit.case.report.build` - reads a case, makes thumbnails (isolated worker) and
  figures (:mod:`osint_kit.display`);
* :mod:`~osint_kit.case.report.render` - Jinja2 templates (``osint_kit/data/report/``) with
  autoescape, Markdown escaping, atomic writes, PDF export.

Nothing is loaded from anywhere: no external CSS, JS or fonts; figures and thumbnails are
``data:`` URIs, and the page's Content-Security-Policy forbids scripts and remote loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from osint_kit.case.report.build import gather, thumbnails
from osint_kit.case.report.model import Report
from osint_kit.case.report.render import (
    export_pdf,
    find_chromium,
    md_esc,
    render_html,
    render_markdown,
    write_atomic,
)

if TYPE_CHECKING:  # pragma: no cover
    from osint_kit.case.case import Case


def write_report(case: Case, path: Path, pdf: bool = False) -> tuple[Path, ...]:
    """Write ``path`` (HTML) and ``path`` with suffix ``.md`` (and ``.pdf`` when ``pdf``);
    return the paths written."""
    report = gather(case)
    md_path = path.with_suffix(".md")
    write_atomic(path, render_html(report))
    write_atomic(md_path, render_markdown(report))
    if pdf:
        return path, md_path, export_pdf(path)
    return path, md_path


__all__ = ["Report", "export_pdf", "find_chromium", "gather", "md_esc", "render_html",
           "render_markdown", "thumbnails", "write_report"]
