"""Ingest a capture: plain text (as copied from a page) or saved HTML. Offline only.

``ingest_text`` and ``ingest_html`` return a :class:`~osint_kit.sources.capture.records.Capture`
whose lines each carry a role (title, heading, body, caption, boilerplate, page_date) and
the reason for it. For HTML, trafilatura decides what the main content is (lines outside it
are boilerplate "outside the main content"), htmldate finds the publication and update dates
in the markup, and the line rules of :mod:`~osint_kit.sources.capture.boilerplate` and
:mod:`~osint_kit.sources.capture.captions` run on top. Fetching the page is the researcher's step:
nothing here touches the network.

Robustness: bytes are decoded from the BOM, then the ``<meta charset>`` / XML declaration,
then strict UTF-8, then charset detection, then windows-1252 with replacement (said in
``warnings``); scripts, styles and comments are dropped before size checks by a linear scanner
(:func:`strip_scripts`: an unterminated ``<!--``, ``<script`` or ``<style`` swallows the rest
of the page, as in a browser), and markup above ``max_chars`` (raw input above
``MAX_RAW_BYTES``) is cut, said in ``warnings``, so time stays bounded; empty input or a page
without any text raises :class:`~osint_kit.errors.IngestError`. Both functions are isolated
like the image helpers (:func:`osint_kit.runner.isolated`; libxml2 parses the markup): a
page that still takes longer than ``timeout`` seconds raises
:class:`~osint_kit.errors.ProcessingTimeoutError` and a parser crash
:class:`~osint_kit.errors.WorkerCrashedError`, instead of freezing the kernel.
"""

from __future__ import annotations

import codecs
import copy
import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from osint_kit.errors import IngestError
from osint_kit.runner import isolated
from osint_kit.sources.capture.boilerplate import classify_boilerplate
from osint_kit.sources.capture.captions import looks_like_caption, split_caption
from osint_kit.sources.capture.datefind import find_dates, resolve_mentions
from osint_kit.sources.capture.quotes import find_quotations
from osint_kit.sources.capture.records import (
    BODY,
    BOILERPLATE,
    CAPTION,
    HEADING,
    PAGE_DATE,
    TITLE,
    Caption,
    Capture,
    DateMention,
    Line,
    content_hash,
)

log = logging.getLogger(__name__)

#: Default cap on input size (bytes for HTML, characters for text). Larger input is cut.
MAX_BYTES = 2_000_000
#: HTML markup analysed (characters, after dropping scripts/styles/comments).
MAX_HTML_CHARS = 1_000_000
#: Raw HTML bytes decoded at all; anything beyond is cut before decoding.
MAX_RAW_BYTES = 50_000_000
#: Lines analysed per capture (an article has a few hundred); the rest is cut with a warning.
MAX_LINES = 5_000
#: Above this many characters of HTML, htmldate's slow free-text search is skipped.
EXTENSIVE_DATE_SEARCH_LIMIT = 500_000
MAX_HEADING_LEN = 120

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _is_date_line(text: str) -> bool:
    """True when the line is (almost) nothing but one date expression."""
    found = find_dates(text)
    if len(found) != 1:
        return False
    rest = (text[: found[0].start] + text[found[0].end:]).strip(" ,.-–—|:")
    return len(rest) <= 3 and found[0].kind not in ("time", "year")


def _classify(numbered: Sequence[tuple[int, str]], title: str | None,
              outside_main: set[int] | None = None,
              captions_known: set[int] | None = None) -> tuple[list[Line], list[Caption], str | None]:
    """Give each line a role; returns lines, captions and the title used.

    The *header* is everything before the title or the first article line: a date-only line
    there is the page's own date (``page_date``), never the publication date.
    """
    lines: list[Line] = []
    captions: list[Caption] = []
    title_found = False
    in_header = True
    want_title = _norm(title) if title else None
    for number, raw in numbered:
        text = _norm(raw)
        if not text:
            continue
        if not title_found and want_title is not None and text == want_title:
            lines.append(Line(number, text, TITLE, "title"))
            title_found, in_header = True, False
            continue
        bp = classify_boilerplate(text)
        if bp is not None:
            lines.append(Line(number, text, BOILERPLATE, f"{bp[0]}: {bp[1]}"))
            continue
        if in_header and _is_date_line(text):
            lines.append(Line(number, text, PAGE_DATE,
                              "date line in the page header, before the title: the page or "
                              "scrape date, not the publication date"))
            continue
        if (captions_known and number in captions_known) or looks_like_caption(text):
            cap, credit, rule = split_caption(text)
            captions.append(Caption(line=number, raw=text, caption=cap, credit=credit, rule=rule))
            lines.append(Line(number, text, CAPTION, rule))
            continue
        if outside_main is not None and number in outside_main:
            lines.append(Line(number, text, BOILERPLATE,
                              "outside_main: not part of the main content (trafilatura)"))
            continue
        if not title_found and want_title is None:
            lines.append(Line(number, text, TITLE, "first line that is not boilerplate or a date"))
            want_title = text
            title_found, in_header = True, False
            continue
        in_header = False
        if len(text) <= MAX_HEADING_LEN and text[-1] not in ".!?:;,\"”»…)" and \
                len(text.split()) >= 2:
            lines.append(Line(number, text, HEADING, "short line without final punctuation"))
            continue
        lines.append(Line(number, text, BODY, "article text"))
    return lines, captions, want_title


def _assemble(kind: str, lines: list[Line], captions: list[Caption], title: str | None,
              reference: Any, tz: str | None, languages: Sequence[str] | None,
              warnings: list[str], **meta: Any) -> Capture:
    mentions: list[DateMention] = []
    for ln in lines:
        if ln.role == BOILERPLATE:
            continue
        mentions.extend(find_dates(ln.text, line=ln.number, role=ln.role))
    resolved = resolve_mentions(mentions, reference=reference, tz=tz, languages=languages)
    page_date = next((d for d in resolved if d.role == PAGE_DATE), None)
    quotable = [(ln.number, ln.text) for ln in lines if ln.role in (BODY, HEADING)]
    context = [(c.line, c.caption) for c in captions]
    quotes = find_quotations(quotable, context_lines=context)
    main = "\n".join(ln.text for ln in lines if ln.role in (TITLE, HEADING, BODY))
    return Capture(
        kind=kind, lines=tuple(lines), captions=tuple(captions), quotations=tuple(quotes),
        dates=resolved, title=title, page_date=page_date,
        reference=None if reference is None else str(reference),
        content_hash=content_hash(main), warnings=tuple(warnings), **meta,
    )


#: Default per-call time limit (seconds) of ingest_text / ingest_html, as for the image helpers.
TIMEOUT = 60.0


def _capture_subject(data: Any, *args: Any, url: str | None = None,
                     title: str | None = None, **kwargs: Any) -> str:
    """What a crash or a timeout of an ingest names: the URL, else the title."""
    return url or title or "text capture"


@isolated(timeout=TIMEOUT, subject=_capture_subject)
def ingest_text(text: str | bytes, reference: Any = None, *, title: str | None = None,
                url: str | None = None, published: str | None = None, tz: str | None = None,
                languages: Sequence[str] | None = None, max_chars: int = MAX_BYTES,
                timeout: float | None = TIMEOUT) -> Capture:
    """Ingest a plain-text capture (a page copied as text, one block per line).

    ``reference`` is the date *you* choose for resolving relative expressions ("Friday",
    "last month"); without it those mentions keep a MissingReferenceError message.
    ``published`` is what you know of the publication date (kept apart from the header date).
    Isolated: runs in the warm worker within ``timeout`` seconds (``ingest_text.here(...)``:
    here, no limit; see the module docstring).
    """
    warnings: list[str] = []
    encoding = None
    if isinstance(text, bytes):
        text, encoding, note = decode_bytes(text)
        if note:
            warnings.append(note)
    if not isinstance(text, str):
        raise IngestError(f"ingest_text needs str or bytes, got {type(text).__name__}")
    if len(text) > max_chars:
        warnings.append(f"input cut from {len(text)} to {max_chars} characters (max_chars)")
        text = text[:max_chars]
    if not text.strip():
        raise IngestError("empty capture: the text has no visible characters; check that the "
                          "file was saved completely")
    numbered = list(enumerate(text.splitlines(), start=1))
    if len(numbered) > MAX_LINES:
        warnings.append(f"only the first {MAX_LINES} of {len(numbered)} lines were analysed")
        numbered = numbered[:MAX_LINES]
    lines, captions, used_title = _classify(numbered, title)
    if published is None:
        warnings.append("no publication date in a plain-text capture: pass published=... if "
                        "you know it; the page header date is kept apart as page_date")
    return _assemble("text", lines, captions, used_title, reference, tz, languages, warnings,
                     url=url, published=published,
                     published_provenance="given by the researcher" if published else None,
                     encoding=encoding)


# --- HTML ----------------------------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""",
                       re.IGNORECASE)
_XML_DECL_STR = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_OPENER = re.compile(r"<(?:!--|(script|style)(?=[\s/>]|$))", re.IGNORECASE)
_CLOSER = {"script": re.compile(r"</script\s*>", re.IGNORECASE),
           "style": re.compile(r"</style\s*>", re.IGNORECASE)}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def strip_scripts(text: str, keep_json_ld: bool = True) -> str:
    """Drop comments, ``<script>`` (except JSON-LD) and ``<style>`` elements, in linear time.

    Each opener is matched once and its end searched once from there; an opener without its
    end swallows the rest of the page (as a browser's parser does), so the scan stops there
    instead of searching again from every later opener (the regex it replaces was quadratic
    on pages of unterminated ``<!--``: a minute for 4,000 of them in 1.1 MB).
    """
    out: list[str] = []
    pos = 0
    while True:
        opener = _OPENER.search(text, pos)
        if opener is None:
            out.append(text[pos:])
            break
        out.append(text[pos:opener.start()])
        tag = (opener.group(1) or "").lower()
        if not tag:  # a comment
            end = text.find("-->", opener.end())
            if end < 0:
                break
            out.append(" ")
            pos = end + 3
            continue
        tag_end = text.find(">", opener.end())
        if tag_end < 0:
            break
        close = _CLOSER[tag].search(text, tag_end + 1)
        stop = close.end() if close is not None else len(text)
        if keep_json_ld and tag == "script" and "ld+json" in text[opener.end():tag_end].lower():
            out.append(text[opener.start():stop])  # JSON-LD holds dates: keep it
        else:
            out.append(" ")
        if close is None:
            break
        pos = stop
    return "".join(out)


def decode_bytes(data: bytes) -> tuple[str, str, str | None]:
    """``(text, encoding, note)``: BOM, declared charset, UTF-8, detection, cp1252 fallback."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc, None
    head = data[:4096]
    declared = _XML_DECL.search(head) or _META_CHARSET.search(head)
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        if _text_charset(name):
            try:
                return data.decode(name), name, None
            except (UnicodeError, LookupError, ValueError):
                note = f"declared charset {name!r} does not fit the bytes; detecting instead"
                text, enc, more = _detect(data)
                return text, enc, note + (f"; {more}" if more else "")
    return _detect(data)


#: Python text codecs that are no web charset: they reinterpret the bytes (escapes, IDNA).
_NOT_CHARSETS = frozenset({"utf_7", "idna", "punycode", "unicode_escape", "raw_unicode_escape",
                           "undefined", "mbcs", "oem"})


def _text_charset(name: str) -> bool:
    """True when ``name`` is a codec that decodes bytes to text as a page's charset may.

    ``<meta charset="base64">`` (or rot13, zlib, hex...) names a bytes-to-bytes codec, which
    ``bytes.decode`` refuses with LookupError; those fall back to detection like unknown names.
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    return bool(getattr(info, "_is_text_encoding", True)) and \
        info.name.replace("-", "_") not in _NOT_CHARSETS


def _detect(data: bytes) -> tuple[str, str, str | None]:
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return (data.decode(best.encoding), best.encoding,
                    f"no charset declared; detected {best.encoding}")
        except (UnicodeDecodeError, LookupError):
            pass
    return (data.decode("cp1252", errors="replace"), "cp1252",
            "charset unknown: decoded as windows-1252 with replacement characters")


_BLOCK_TAGS = frozenset(["address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", "title", "time"])
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "head")


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _page_lines(tree: Any) -> list[str]:
    """All visible text of the page, one block element per line."""
    tree = copy.deepcopy(tree)
    for bad in tree.xpath("//" + " | //".join(_DROP_TAGS)):
        bad.drop_tree()
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() in _BLOCK_TAGS:
            # character references such as &#1; decode to characters lxml will not store back
            el.tail = "\n" + _XML_BAD.sub("", el.tail or "")
            el.text = "\n" + _XML_BAD.sub("", el.text or "")
    body = tree.find("body")
    root = body if body is not None else tree
    return [_norm(x) for x in root.text_content().split("\n") if _norm(x)]


_TAG = re.compile(r"<[^<>]*>")
_NOT_TEXT = re.compile(r"\s+")
#: Warn when the parsed page keeps less than this share of the characters in the markup.
KEPT_TEXT_RATIO = 0.9
#: ... and at least this many characters are missing.
MIN_LOST_CHARS = 40


def _text_lost(markup: str, tree: Any) -> str | None:
    """A warning when the parsed tree holds much less text than the markup does.

    libxml2 stops building the tree below 255 nested elements and drops what follows without
    an error, so a page can hide text from the kit (and show it in a browser). The markup's
    own text is counted by a linear scan (scripts, styles and comments dropped, tags removed,
    character references decoded); the tree's from its text nodes outside script and style.
    """
    import html as html_lib

    raw = html_lib.unescape(_TAG.sub(" ", strip_scripts(markup, keep_json_ld=False)))
    raw_chars = len(_NOT_TEXT.sub("", raw))
    parsed = tree.xpath("//text()[not(ancestor::script) and not(ancestor::style)]")
    kept = sum(len(_NOT_TEXT.sub("", str(t))) for t in parsed)
    if raw_chars - kept < MIN_LOST_CHARS or kept >= KEPT_TEXT_RATIO * raw_chars:
        return None
    return (f"the parsed page holds {kept} of the {raw_chars} text characters in the markup: "
            "the rest was lost, e.g. below 255 nested elements (the HTML parser's limit) or in "
            "broken markup; read the page itself for the missing text")


def _markup_dates(tree: Any) -> list[str]:
    """Where the markup states dates: meta tags, <time datetime>, JSON-LD (for provenance)."""
    found = []
    for meta in tree.xpath("//meta[@property or @name or @itemprop]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if any(k in key for k in ("published", "modified", "date", "updated")):
            found.append(f"meta[{key}]={meta.get('content')}")
    for t in tree.xpath("//time[@datetime]")[:5]:
        found.append(f"<time datetime={t.get('datetime')}>")
    for script in tree.xpath("//script[@type='application/ld+json']")[:5]:
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict):
                for key in ("datePublished", "dateModified", "dateCreated"):
                    if key in item:
                        found.append(f"JSON-LD {key}={item[key]}")
    return found


def _figcaptions(tree: Any) -> list[str]:
    out = []
    for fc in tree.xpath("//figcaption | //*[contains(@class,'caption')]"):
        text = _norm(fc.text_content())
        if text:
            out.append(text)
    return out


def _html_subject(data: Any, url: str | None = None, *args: Any, **kwargs: Any) -> str:
    return url or "HTML capture"


@isolated(timeout=TIMEOUT, subject=_html_subject)
def ingest_html(html: str | bytes, url: str | None = None, reference: Any = None, *,
                tz: str | None = None, languages: Sequence[str] | None = None,
                max_chars: int = MAX_HTML_CHARS, timeout: float | None = TIMEOUT) -> Capture:
    """Ingest a saved HTML page (str or raw bytes) with trafilatura and htmldate, offline.

    Returns a Capture with title/author/publisher from trafilatura's metadata, ``published``
    and ``updated`` from htmldate (``published_provenance`` names the rule and the markup it
    saw), lines outside trafilatura's main content marked as boilerplate, captions from
    ``<figcaption>`` with credits split, quotations and date mentions. Isolated: runs in the
    warm worker within ``timeout`` seconds (``ingest_html.here(...)``: here, no limit).
    """
    import lxml.html
    from lxml.etree import ParserError

    warnings: list[str] = []
    if isinstance(html, bytes):
        if len(html) > MAX_RAW_BYTES:
            warnings.append(f"page cut from {len(html)} to {MAX_RAW_BYTES} bytes before decoding")
            html = html[:MAX_RAW_BYTES]
        if not html.strip():
            raise IngestError("empty page: 0 visible bytes; was the page saved completely?")
        text, encoding, note = decode_bytes(html)
        if note:
            warnings.append(note)
    elif isinstance(html, str):
        text, encoding = html[:MAX_RAW_BYTES], None
    else:
        raise IngestError(f"ingest_html needs str or bytes, got {type(html).__name__}")
    # Control characters and lone surrogates are not XML-compatible: lxml refuses them later.
    text = _XML_BAD.sub("", _XML_DECL_STR.sub("", text.lstrip("\ufeff")))
    if len(text) > max_chars:
        text = strip_scripts(text)
        if len(text) > max_chars:
            warnings.append(f"page cut from {len(text)} to {max_chars} characters of markup "
                            "(max_chars; scripts, styles and comments already dropped)")
            text = text[:max_chars]
    if not text.strip():
        raise IngestError("empty page: no characters; was the page saved completely?")
    if "<" not in text[:5000]:
        warnings.append("no HTML tags at the start: is this plain text? (use ingest_text)")
    try:
        tree = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as err:
        raise IngestError(f"the page could not be parsed as HTML ({err}); if it is plain "
                          "text use ingest_text") from err
    page = _page_lines(tree)
    lost = _text_lost(text, tree)
    if lost:
        warnings.append(lost)
    if not page:
        raise IngestError("the page has no visible text (only markup, scripts or styles); "
                          "nothing to ingest")
    if len(page) > MAX_LINES:
        warnings.append(f"only the first {MAX_LINES} of {len(page)} lines were analysed")
        page = page[:MAX_LINES]
    doc, dates = _extract(tree, url, warnings, extensive=len(text) <= EXTENSIVE_DATE_SEARCH_LIMIT)
    title = _norm(doc.get("title") or "") or None
    if title is None:
        t = tree.find(".//title")
        title = _norm(t.text_content()) if t is not None else None
    main_lines = {_norm(x) for x in (doc.get("text") or "").splitlines() if _norm(x)}
    captions_text = set(_figcaptions(tree))
    numbered = list(enumerate(page, start=1))
    outside = None
    if main_lines:
        main_blob = "\n".join(main_lines) if sum(map(len, main_lines)) < 200_000 else ""
        outside = {n for n, line in numbered
                   if line not in main_lines and not (main_blob and line in main_blob)}
    else:
        warnings.append("trafilatura found no main content; lines classified by rules only")
    caps = {n for n, line in numbered if line in captions_text}
    lines, captions, used_title = _classify(numbered, title, outside, caps)
    return _assemble(
        "html", lines, captions, used_title or title, reference, tz, languages, warnings,
        author=_norm(doc.get("author") or "") or None,
        publisher=_norm(doc.get("sitename") or "") or None,
        url=url or doc.get("url"), language=doc.get("language"),
        published=dates["published"], published_provenance=dates["provenance"],
        updated=dates["updated"], encoding=encoding,
    )


def _extract(tree: Any, url: str | None, warnings: list[str],
             extensive: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """trafilatura metadata + main text and htmldate dates, each failure kept as a warning."""
    import htmldate
    import trafilatura

    doc: dict[str, Any] = {}
    try:
        result = trafilatura.bare_extraction(
            copy.deepcopy(tree), url=url, with_metadata=True, include_comments=False,
            include_tables=True, favor_recall=True, as_dict=False,
        )
    except Exception as err:  # noqa: BLE001 - third-party extractor: record and go on
        warnings.append(f"trafilatura failed: {type(err).__name__}: {err}")
        result = None
    if result is not None:
        for key in ("title", "author", "sitename", "url", "text", "language", "date"):
            doc[key] = getattr(result, key, None)
    dates: dict[str, Any] = {"published": None, "updated": None, "provenance": None}
    markup = _markup_dates(tree)
    try:
        published = htmldate.find_date(copy.deepcopy(tree), url=url, original_date=True,
                                       extensive_search=False)
        rule = "htmldate (original_date, markup only)"
        if published is None and not extensive:
            warnings.append("no publication date in the markup; the free-text date search "
                            "was skipped on this large page")
        elif published is None:
            published = htmldate.find_date(copy.deepcopy(tree), url=url, original_date=True,
                                           extensive_search=True)
            rule = "htmldate (original_date, extensive search of the page text: weaker)"
        updated = htmldate.find_date(copy.deepcopy(tree), url=url, original_date=False,
                                     extensive_search=False)
    except Exception as err:  # noqa: BLE001 - third-party extractor: record and go on
        warnings.append(f"htmldate failed: {type(err).__name__}: {err}")
        published = updated = None
        rule = ""
    if published:
        seen = "; ".join(markup[:4]) if markup else "no dated meta/time/JSON-LD in the markup"
        dates["published"] = published
        dates["provenance"] = f"{rule}; markup seen: {seen}"
    dates["updated"] = updated if updated and updated != published else None
    return doc, dates
