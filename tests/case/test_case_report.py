"""The report: an evidence-chain document, self-contained, escaped, thumbnails isolated."""

from __future__ import annotations

import html as htmllib
import importlib.util
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markupsafe
import pytest
from case_factory import PAYLOAD, build_case, make_png
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from osint_kit.case import Case
from osint_kit.case.report import gather, md_esc, render_markdown
from osint_kit.case.report.model import domain_records, evidence_status, link
from osint_kit.case.report.render import _md_code, image_uri

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
HOSTILE = (
    "<img src=x onerror=\"window.__pwned=1\">",
    "\"'><svg onload=window.__pwned=1>",
    "</style><script>window.__pwned=1</script>",
    "{{ 7*7 }}{% raw %}` | # - [x](javascript:alert(1)) ![i](http://198.51.100.7/b.png)",
    "<a href=\"javascript:window.__pwned=1\">click</a> &amp; &#x27; _x_ *y* $z$",
)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("report")
    case = build_case(root / "case", root / "files", payload=PAYLOAD)
    html, md = case.report(root / "out" / "report.html")
    assert case.verify().ok
    assert list(case.custody()["action"])[-1] == "report"
    case.close()
    return html, md


class _Tags(HTMLParser):
    """Every tag and attribute of a page, as the browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "p", "div",
                "h1", "h2", "h3", "h4", "code", "br", "small", "dl", "dt", "dd", "nav", "ol",
                "ul", "li", "a", "section", "article", "span", "b", "table", "colgroup", "col",
                "thead", "tbody", "tr", "th", "td", "figure", "img", "figcaption", "wbr"}


def _check_markup(page: str, allowed_links: set[str]) -> None:
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name == "href":
                assert value is not None
                assert value.startswith("#") or value in allowed_links, value
            if name == "src":
                assert image_uri(value) == value, value[:80] if value else value


def test_html_is_self_contained_and_escaped(hostile_report: tuple[Path, Path]) -> None:
    page = hostile_report[0].read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    _check_markup(page, {"https://example.org/brief"})
    assert "<link" not in page and "@import" not in page and "url(" not in page
    for section in ("1. Conclusions", "2. Sources", "3. Evidence", "4. Timeline",
                    "5. Claims x sources", "Appendix A: chain of custody",
                    "Appendix B: hashes"):
        assert f">{section}</h2>" in page
    assert "Who took the satellite image?" in page  # the open question
    assert 'href="https://example.org/brief"' in page  # the source's URL is a link


def test_custody_head_is_printed_as_the_token_verify_takes(tmp_path: Path) -> None:
    """The head printed is the case's own token (``Case.custody_head``, "<seq>:<hash>")."""
    case = build_case(tmp_path / "case", tmp_path / "files")
    try:
        token = str(case.custody_head())
        seq, head = token.split(":")
        html_path, md_path = case.report(tmp_path / "report.html")
    finally:
        case.close()
    page = html_path.read_text(encoding="utf-8")
    assert f"(entry #{seq})" in page and head in page
    assert f'expected_head="{token}"' in page
    assert f'expected_head="{token}"' in md_path.read_text(encoding="utf-8")


def test_report_files_are_readable_by_others(hostile_report: tuple[Path, Path]) -> None:
    """Issue 20.4: a report is a document to hand on (the old files were mode 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    for path in hostile_report:
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, oct(path.stat().st_mode)
        assert path.stat().st_mode & 0o044 == 0o044 or mask & 0o044


def test_markdown_has_no_html_and_no_entities(hostile_report: tuple[Path, Path]) -> None:
    md = hostile_report[1].read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<(script|img)", md)  # every < is backslash-escaped
    assert not re.search(r"&(#x?[0-9a-f]+|[a-z]+);", md, re.IGNORECASE), "HTML entities"
    assert "## Appendix A: chain of custody" in md and "## 3. Evidence" in md
    assert "\\<img src=x onerror=\"window.\\_\\_pwned=1\"\\>" in md
    assert md_esc("a|b\nc [x](javascript:y)") == "a\\|b c \\[x\\](javascript:y)"


def test_md_escaping_rules() -> None:
    assert md_esc("briefing_agency_photo.jpg") == "briefing_agency_photo.jpg"  # intraword _
    assert md_esc("_x_ __y") == "\\_x\\_ \\_\\_y"
    assert md_esc("# title") == "\\# title" and md_esc("- item") == "\\- item"
    assert md_esc("1. first") == "1\\. first"
    assert md_esc("it's \"quoted\" & <b>") == "it's \"quoted\" \\& \\<b\\>"
    assert md_esc("a\x00b\u2028c") == "a b c"
    code = _md_code("ab``c|d")
    assert code == "``` ab``c\\|d ```"
    assert _md_code("plain") == "`plain`"


_MD_CONTROLS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _render_markdown(text: str) -> str:
    """``text`` rendered by a CommonMark renderer that passes raw HTML through."""
    return str(MarkdownIt("commonmark", {"html": True}).enable("table").render(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2030, codec="utf-8"),
               max_size=40))
def test_md_esc_renders_as_the_same_text(value: str) -> None:
    """Property: in running text, md_esc(value) renders as one paragraph whose text is the
    value (line breaks and controls as spaces): no tag, link, emphasis or entity survives."""
    out = _render_markdown("x" + md_esc(value) + "x")
    assert out.startswith("<p>") and out.endswith("</p>\n") and "<" not in out[3:-5], out
    want = "x" + _MD_CONTROLS.sub(" ", value.replace("\r\n", " ")) + "x"
    assert htmllib.unescape(out[3:-5]) in (want, want.replace("\x00", "\ufffd"))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("#-+=*_>|`~<&!.)12 ab[]()\\:\t\n")),
               min_size=1, max_size=12))
def test_md_esc_starts_no_block(value: str) -> None:
    """Property: at the start of a line md_esc(value) starts no heading, list, quote, rule,
    fence or table: it stays a paragraph holding the value."""
    escaped = md_esc(value)
    assume(escaped and escaped.strip() == escaped)
    out = _render_markdown(escaped)
    assert out.startswith("<p>") and out.endswith("</p>\n") and "<" not in out[3:-5], out
    assert htmllib.unescape(out[3:-5]) == _MD_CONTROLS.sub(" ", value.replace("\r\n", " "))


def test_links_only_for_web_addresses() -> None:
    assert link("https://example.org/a?b=c") == "https://example.org/a?b=c"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x",
                "https://a.example/ onmouseover=x", "https://a.example/\"x", "//host/x",
                "vbscript:x", None, ""):
        assert link(bad) is None, bad
    assert image_uri("data:image/png;base64,iVBORw0KGgo=") == "data:image/png;base64,iVBORw0KGgo="
    assert image_uri("data:image/jpeg;base64,/9j/4AA=") == "data:image/jpeg;base64,/9j/4AA="
    assert image_uri("data:image/svg+xml;base64,PHN2Zz4=") == ""
    assert image_uri("data:image/png;base64,AAAA\" onerror=\"x") == ""


def _hostile_case(root: Path) -> Case:
    """Hostile text in every field the report prints (names, titles, captions, notes)."""
    files = root / "files"
    files.mkdir(parents=True)
    case = Case.create(root / "case", title=HOSTILE[0], actor=HOSTILE[1][:30])
    sids = []
    for i, text in enumerate(HOSTILE):
        sids.append(case.add_source(title=text, publisher=text, author=text, notes=text,
                                    url="javascript:window.__pwned=1" if i % 2 else
                                    f"https://example.org/{i}?q=%3Cx%3E",
                                    published=text, content_hash="ab" * 32))
    pid = case.add_proposition(statement=HOSTILE[2], notes=HOSTILE[3])
    for sid, text in zip(sids, HOSTILE, strict=True):
        case.add_claim(source_id=sid, proposition_id=pid, stance="supports", text=text,
                       claimant=text)
    for i, text in enumerate(HOSTILE[:3]):
        img = make_png(files / f"p{i}{text.replace('/', '_')[:40]}.png", (20 * i, 90, 160))
        item = case.add_evidence(img, source=sids[i], acquired_from=text, notes=text)
    case.add_working_copy(item.id, b"not an image " + HOSTILE[3].encode(), HOSTILE[4])
    case.add_event(label=HOSTILE[3], earliest="2022-11-18T00:00:00+00:00",
                   latest="2022-11-18T23:59:59+00:00", precision="day", when_text=HOSTILE[4],
                   source_ids=sids[0])
    case.add_note(HOSTILE[4], tags="open", target=pid)
    case.add_finding(evidence_id=item.id, code="x", severity="warning", title=HOSTILE[1],
                     explanation=HOSTILE[2])
    return case


def test_injection_hostile_names_titles_captions(tmp_path: Path) -> None:
    case = _hostile_case(tmp_path)
    try:
        html_path, md_path = case.report(tmp_path / "out" / "report.html")
    finally:
        case.close()
    page = html_path.read_text(encoding="utf-8")
    allowed = {f"https://example.org/{i}?q=%3Cx%3E" for i in (0, 2, 4)}
    _check_markup(page, allowed)
    assert "<script" not in page.lower() and "<svg" not in page.lower()
    assert "javascript:" not in re.sub(r"&[^;]+;", "", " ".join(
        re.findall(r"""href=["']([^"']*)""", page)))
    assert "{{ 7*7 }}" in htmllib.unescape(page)  # template syntax in data stays data
    for text in HOSTILE:  # each string is shown, as text
        assert str(markupsafe.escape(text)) in page, text
    md = md_path.read_text(encoding="utf-8")
    assert "{{ 7\\*7 }}" in md  # template syntax in data is data, not evaluated
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<script" not in rendered and "<svg" not in rendered
    assert "<img src=\"x\"" not in rendered and "<img src=x" not in rendered
    assert "href=\"javascript:" not in rendered
    assert "198.51.100.7" not in " ".join(re.findall(r'src="([^"]*)"', rendered))


def test_conclusions_are_the_library_assessment(tmp_path: Path) -> None:
    """Three outlets copying one wire are one independent party, the denial another; the
    report words exactly what ``osint_kit.sources.assessment`` says, in its order."""
    from osint_kit.sources.assessment import assessment_table

    case = Case.create(tmp_path / "case", title="origins")
    try:
        wire = case.add_source(title="Wire", kind="wire", reliability="B", credibility="2",
                               publisher="Wire agency")
        copies = [case.add_source(title=f"Copy {i}", kind="aggregator copy", copies=wire)
                  for i in range(3)]
        denial = case.add_source(title="Denial", kind="denial", party="Government X")
        first = case.add_proposition(statement="Nobody says anything about this.")
        pid = case.add_proposition(statement="It happened.")
        for sid in [wire, *copies]:
            case.add_claim(source_id=sid, proposition_id=pid, stance="supports", text="yes",
                           confirmed="true")
        case.add_claim(source_id=denial, proposition_id=pid, stance="contradicts", text="no",
                       confirmed="true")
        report = gather(case)
        srcs, clms, props = domain_records(case.table("sources"), case.table("claims"),
                                           case.table("propositions"))
    finally:
        case.close()
    table = assessment_table(clms, srcs, props, include_unconfirmed=True)
    assert [c.id for c in report.conclusions] == list(table["proposition_id"]) == [pid, first]
    c, empty = report.conclusions
    row = table.iloc[0]
    assert (c.assessment, c.explanation) == (row["assessment"], row["explanation"])
    assert (c.supporting_parties, c.contradicting_parties) == (1, 1)
    assert c.band == f"{row['band_low'] * 100:.0f}-{row['band_high'] * 100:.0f} %"
    assert c.denials == ("Government X",)
    (line,) = c.supporting
    assert "origin S0001 (Wire)" in line and "passed on by S0002, S0003, S0004" in line
    assert c.statement == "It happened." and c.key == "P2"
    assert empty.assessment == "cannot be assessed" and empty.band == ""
    md = render_markdown(report)
    assert f"**{row['assessment']}** ({c.band}" in md and "Government X" in md


def test_copy_cycle_counts_as_the_library_counts(tmp_path: Path) -> None:
    """Two outlets copying each other are one origin together (the library's rule,
    :func:`osint_kit.sources.independent_origins`); the report counts the same."""
    from osint_kit.sources import independent_origins

    case = Case.create(tmp_path / "case", title="cycle")
    try:
        a = case.add_source(title="A", reliability="C", credibility="3")
        b = case.add_source(title="B", copies=a, reliability="C", credibility="3")
        case.update("sources", a, copies=b)
        pid = case.add_proposition(statement="It happened.")
        for sid in (a, b):
            case.add_claim(source_id=sid, proposition_id=pid, stance="supports", text="yes",
                           confirmed="true")
        report = gather(case)
        srcs, clms, _props = domain_records(case.table("sources"), case.table("claims"),
                                            case.table("propositions"))
    finally:
        case.close()
    count = independent_origins(pid, clms, srcs, include_unconfirmed=True)
    (group,) = count.supporting_groups  # one origin: both members of the cycle
    assert count.supporting == 1 and set(group.origins) == {a, b} and not group.unknown
    (c,) = report.conclusions
    assert c.supporting_parties == count.supporting
    assert c.supporting_origins == len(group.origins) and c.unknown_for == 0


def test_every_data_uri_the_kit_makes_is_one_the_report_accepts(tmp_path: Path) -> None:
    """Report thumbnails, report figures and the metadata view's thumbnail are made by one
    ``data_uri``; each passes the report's own check (``image_uri``) and decodes back."""
    import base64
    import io

    import matplotlib.pyplot as plt
    import pandas as pd
    from PIL import Image

    from osint_kit.case.report.build import figure_data_uri, thumbnails
    from osint_kit.media.read._html import thumbnail_data_uri

    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(jpeg, "JPEG")
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    made = {
        "figure": figure_data_uri(fig),
        "metadata thumbnail": thumbnail_data_uri(jpeg.getvalue()),
        "report thumbnail": thumbnails(tmp_path, pd.DataFrame([{"id": "E1", "stored_path": "x"}]),
                                       preview=lambda *_a: jpeg.getvalue())["E1"][0],
    }
    assert fig.number not in plt.get_fignums()  # the report closes its figures
    for what, uri in made.items():
        assert uri is not None and image_uri(uri) == uri, what
        with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as im:
            assert im.format in ("PNG", "JPEG"), what


def test_a_broken_claim_is_reported_not_fatal(tmp_path: Path) -> None:
    """A claim about a proposition the case does not hold: the report says so and goes on."""
    case = Case.create(tmp_path / "case", title="broken")
    try:
        s = case.add_source(title="A")
        p = case.add_proposition(statement="Known")
        case.add_claim(source_id=s, proposition_id=p, stance="supports")
        case.add_claim(source_id=s, proposition_id="P_gone", stance="supports")
        html_path, _md = case.report(tmp_path / "report.html")
    finally:
        case.close()
    page = html_path.read_text(encoding="utf-8")
    assert "The claims x sources matrix cannot be drawn" in page and "P_gone" in page
    assert page.count('class="conclusion"') == 1  # the conclusions are still there


def test_matrix_blocks_fit_a_page() -> None:
    """Ten propositions make two blocks (8 + 2); a source silent on a block is only named."""
    from osint_kit.case.report.model import matrix_view
    from osint_kit.sources import Claim, Proposition, Source

    props = [Proposition(id=f"p{i}", statement=f"statement {i}") for i in range(10)]
    srcs = [Source(id="a", title="A"), Source(id="b", title="B")]
    claims = [Claim(id="c1", source_id="a", proposition_id="p0", stance="supports"),
              Claim(id="c2", source_id="b", proposition_id="p9", stance="contradicts")]
    view = matrix_view(claims, srcs, props)
    assert [len(b.columns) for b in view.blocks] == [8, 2]
    first, second = view.blocks
    assert [r[0] for r in first.rows] == ["a"] and first.silent == ("b",)
    assert first.rows[0][2] == ("supports",) + ("silent",) * 7
    assert [r[0] for r in second.rows] == ["b"] and second.silent == ("a",)
    assert second.columns[1] == ("P10", "p9", "statement 9")


def test_reconstructions_and_working_copies_are_marked(tmp_path: Path) -> None:
    assert evidence_status({"role": "working", "parent_id": "E0001",
                            "derivation": "crop"})[0] == "working copy"
    assert evidence_status({"role": "evidentiary", "notes": "RECONSTRUCTION FOR TEACHING",
                            "original_name": "a.jpg"})[0] == "reconstruction"
    assert evidence_status({"role": "evidentiary", "original_name": "x_reconstruction.jpg"}
                           )[0] == "reconstruction"
    assert evidence_status({"role": "evidentiary", "original_name": "a.jpg"}
                           )[0] == "original as acquired"
    case = build_case(tmp_path / "case", tmp_path / "files")
    try:
        html_path, md_path = case.report(tmp_path / "report.html")
    finally:
        case.close()
    page = html_path.read_text(encoding="utf-8")
    assert page.count("WORKING COPY, NOT EVIDENCE AS ACQUIRED") == 1
    assert "derived from E0001 by crop 0,0,10,10" in page
    # the saved text capture and the "crop" whose bytes are no PNG
    assert page.count("not a picture: no thumbnail") == 2
    assert "**WORKING COPY, NOT EVIDENCE AS ACQUIRED:**" in md_path.read_text(encoding="utf-8")


@pytest.mark.browser
def test_report_renders_in_chromium_without_network_or_scripts(
    hostile_report: tuple[Path, Path],
) -> None:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("the playwright Python package is not installed (pip install playwright)")
    from playwright.sync_api import sync_playwright

    html_path = hostile_report[0]
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(html_path.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("() => typeof window.__pwned") == "undefined"
            assert page.evaluate("() => document.querySelectorAll('script').length") == 0
            assert page.evaluate(
                "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
            assert page.locator("h2", has_text="chain of custody").count() == 1
        finally:
            browser.close()
    assert requests, "the page load itself should be recorded"
    bad = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert bad == []
