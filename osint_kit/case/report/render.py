"""Render a :class:`~osint_kit.case.report.model.Report` as HTML and Markdown (Jinja2
templates in ``osint_kit/data/report/``), write both, and print the HTML to PDF.

HTML: autoescape is on for the whole template, so every value is HTML-escaped; the only
values placed in ``src``/``href`` attributes are the kit's own PNG/JPEG ``data:`` URIs
(:func:`image_uri` refuses anything else) and http(s) URLs checked by
:func:`osint_kit.case.report.model.link`. Markdown: every value goes through :func:`md_esc`
(backslash escapes, never HTML entities) unless a filter built it as Markdown itself.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from osint_kit.case.report.model import Report, link
from osint_kit.errors import CaseError

#: Longest text (characters) shown from one field; the rest is counted, not shown.
MAX_TEXT = 4000
#: Words for the matrix cells.
STANCE_WORDS = {"supports": "for", "contradicts": "against", "mixed": "mixed",
                "mentions": "mentions", "silent": "·"}
_IMAGE_URI = re.compile(r"data:image/(png|jpeg);base64,[A-Za-z0-9+/]+={0,2}")
#: Markdown punctuation escaped everywhere (CommonMark allows a backslash before any of it).
_MD_ALWAYS = re.compile(r"([\\`*\[\]<>|~&$])")
#: "_" is escaped unless it sits between two letters or digits (no emphasis there).
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
#: What would start a block (heading, list, quote, rule, setext line) at a line start.
_MD_BLOCK_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def _cut(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + f"… [{len(text) - limit} more characters]"


class Markdown(str):
    """Text that a filter already built as safe Markdown (not escaped again)."""


def md_esc(value: Any, limit: int = MAX_TEXT) -> str:
    """Escape a value for Markdown text and table cells: one line, backslash escapes only.

    >>> md_esc("a|b\\nc [x](javascript:y)")
    'a\\\\|b c \\\\[x\\\\](javascript:y)'
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = _CONTROLS.sub(" ", _cut(str(value), limit).replace("\r\n", " "))
    text = _MD_ALWAYS.sub(r"\\\1", text.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    block = _MD_BLOCK_START.match(text)  # "# x", "- x", "1. x" would start a block
    if block:
        cut = block.end() if block.group(2)[0].isdigit() else len(block.group(1))
        text = text[:cut] + "\\" + text[cut:]
    return text


def _md_finalize(value: Any) -> str:
    return value if isinstance(value, Markdown) else md_esc(value)


def _md_code(value: Any) -> Markdown:
    """A code span that no backtick in ``value`` can close early (and safe in a table)."""
    text = _CONTROLS.sub(" ", _cut(str(value), 200)).replace("\n", " ").replace("\r", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return Markdown(f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}")


def _md_link(url: Any) -> Markdown | str:
    """An autolink ``<https://...>`` for a checked http(s) URL; plain escaped text otherwise."""
    checked = link(url)
    if checked is None:
        return md_esc(url)
    return Markdown(f"<{checked.replace('|', '%7C')}>")


def image_uri(value: Any) -> str:
    """The value when it is a PNG or JPEG ``data:`` URI (the kit's own figures and
    thumbnails), else ""."""
    text = str(value or "")
    return text if _IMAGE_URI.fullmatch(text) else ""


def _md_image(uri: Any, alt: str) -> Markdown | str:
    checked = image_uri(uri)
    return Markdown(f"![{md_esc(alt)}]({checked})") if checked else ""


def _html_finalize(value: Any) -> Any:
    if isinstance(value, str) and not value.startswith("data:image/"):
        return _cut(value)
    return "" if value is None else value


@functools.cache
def _environments() -> tuple[Any, Any]:
    import jinja2

    loader = jinja2.PackageLoader("osint_kit", "data/report")
    html = jinja2.Environment(loader=loader, autoescape=True, finalize=_html_finalize,
                              undefined=jinja2.StrictUndefined)
    html.filters["image_uri"] = image_uri
    # Markdown is not HTML: its escaping is the finalize hook (md_esc on every expression)
    md = jinja2.Environment(loader=loader, autoescape=False, finalize=_md_finalize,  # noqa: S701
                            undefined=jinja2.StrictUndefined, trim_blocks=True,
                            lstrip_blocks=True, keep_trailing_newline=True)
    md.filters.update(md_code=_md_code, md_link=_md_link, md_image=_md_image)
    return html, md


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    return str(_environments()[0].get_template("report.html.j2").render(
        r=report, stance_words=STANCE_WORDS))


def render_markdown(report: Report) -> str:
    """The report's Markdown twin (same content; no HTML, no HTML entities)."""
    text = _environments()[1].get_template("report.md.j2").render(
        r=report, stance_words=STANCE_WORDS)
    return re.sub(r"\n{3,}", "\n\n", str(text))


def file_mode() -> int:
    """0666 minus the umask: what an ordinary file written by this user gets (0644 usually)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder; the file gets
    :func:`file_mode` (``mkstemp`` alone would leave 0600 on a document meant to be shared)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


#: Where :func:`export_pdf` looks for Chromium, in order.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
_CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions",
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--no-first-run", "--no-pdf-header-footer",
                   "--print-to-pdf-no-header")


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable on PATH, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def export_pdf(html_path: str | Path, pdf_path: str | Path | None = None, paper: str = "A4",
               chromium: str | None = None, timeout: float = 120.0) -> Path:
    """Print the HTML report to PDF with headless Chromium (optional: only where it exists).

    ``paper`` is a CSS page size ("A4", "letter"). The page loads nothing (its CSP forbids
    it) and Chromium runs with background networking off. Raises CaseError when no Chromium
    is found or printing fails.
    """
    source = Path(html_path)
    target = Path(pdf_path) if pdf_path is not None else source.with_suffix(".pdf")
    if not re.fullmatch(r"[A-Za-z0-9 ]{1,20}", paper):
        raise CaseError(f"paper {paper!r} is not a CSS page size such as 'A4' or 'letter'")
    exe = chromium or find_chromium()
    if exe is None:
        raise CaseError("PDF export needs Chromium or Chrome on PATH (Debian: apt-get install "
                        "chromium); or open the HTML report in a browser and print it")
    page = source.read_text(encoding="utf-8").replace(
        "</style>", f"@page {{ size: {paper}; }}\n</style>", 1)
    with tempfile.TemporaryDirectory(prefix="osint-kit-pdf-") as tmp:
        copy, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        copy.write_text(page, encoding="utf-8")
        cmd = [exe, *_CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={out}", copy.as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise CaseError(f"Chromium could not print the report: {err}") from err
        if not out.is_file() or out.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", "replace")[-500:]
            raise CaseError(f"Chromium did not write a PDF (exit {done.returncode}): {detail}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, target)
        os.chmod(target, file_mode())
    return target
