"""Generate the findings tables of docs/forensics.md and docs/video_findings.md from the one
table of finding texts, osint_kit/data/findings.yaml.

    python tools/make_forensics_doc.py          # rewrite the tables in both docs
    python tools/make_forensics_doc.py --check  # exit 1 if a doc is out of date

Only the text between the marker comments is rewritten; the prose around it is the doc's own.
``tests/images/test_forensics_texts.py`` fails when a doc differs from this output, so the
tables cannot drift from the texts the findings show.
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from osint_kit.media.forensics.model import FindingText, finding_texts

ROOT = Path(__file__).resolve().parents[1]
#: media -> the doc holding its findings table
DOCS: dict[str, Path] = {"photo": ROOT / "docs" / "forensics.md",
                         "video": ROOT / "docs" / "video_findings.md"}


def begin(media: str) -> str:
    return (f"<!-- BEGIN GENERATED findings:{media} by tools/make_forensics_doc.py from "
            "osint_kit/data/findings.yaml; do not edit by hand -->")


def end(media: str) -> str:
    return f"<!-- END GENERATED findings:{media} -->"


def _cell(text: str) -> str:
    """Markdown table cell: placeholders (values from the file) shown as an ellipsis."""
    parts = [literal + ("…" if name is not None else "")
             for literal, name, _, _ in string.Formatter().parse(text)]
    return "".join(parts).replace("|", "\\|").replace("\n", " ").strip() or "-"


def _row(t: FindingText) -> str:
    severity = f"{t.severity} ({t.severity_note})" if t.severity_note else t.severity
    return (f"| `{t.code}` | {severity} | {_cell(t.title)} | {_cell(t.fires)} | "
            f"{_cell(t.innocent)} | {_cell(t.not_proof)} |")


def table(media: str) -> str:
    """The findings table of one medium, in the order of the YAML file."""
    rows = [_row(t) for t in finding_texts().values() if t.media == media]
    return "\n".join([
        "| code | severity | title | when it fires | innocent explanations | "
        "what it does NOT prove |",
        "|---|---|---|---|---|---|",
        *rows,
    ])


def render(doc: str, media: str) -> str:
    """``doc`` with the text between the ``media`` markers replaced by the current table."""
    head, sep, rest = doc.partition(begin(media))
    _, sep2, tail = rest.partition(end(media))
    if not sep or not sep2:
        raise ValueError(f"the doc has no {begin(media)!r} ... {end(media)!r} markers")
    return f"{head}{begin(media)}\n{table(media)}\n{end(media)}{tail}"


def outdated() -> list[Path]:
    """The docs whose generated tables differ from the texts."""
    return [path for media, path in DOCS.items()
            if render(path.read_text(encoding="utf-8"), media)
            != path.read_text(encoding="utf-8")]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = outdated()
        for path in stale:
            print(f"{path} is out of date; run python tools/make_forensics_doc.py")
        return 1 if stale else 0
    for media, path in DOCS.items():
        path.write_text(render(path.read_text(encoding="utf-8"), media), encoding="utf-8")
        print(f"wrote the {media} findings table of {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
