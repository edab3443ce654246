"""XSS payloads and every place osint_kit turns untrusted text into HTML.

``surfaces(payload, workdir)`` writes the payload into every text-bearing metadata field of a
generated image (EXIF ASCII, XP* UTF-16, UserComment, IPTC, XMP, the file name), into capture
titles, quotes, captions, source and event fields, and returns ``{surface name: html}`` for
every ``_repr_html_``, the timeline widget's HTML values and the case report (with a video
whose name and phone tags hold the payload, and its contact sheet). Classes with a
``_repr_html_`` are also discovered by walking ``osint_kit`` and constructed with the payload
in every string field (``discovered_surfaces``), so a new display cannot be forgotten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import json
import pkgutil
import re
import typing
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

#: Each payload sets ``window.__pwned`` (or opens a dialog, or fetches a remote URL) if it runs.
PAYLOADS: tuple[str, ...] = (
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>",
    "<img src=x onerror=alert(1)>",
    "\"'><img src=x onerror=window.__pwned=1>",
    "'\"><svg onload=window.__pwned=1>",
    "<svg><script>window.__pwned=1</script></svg>",
    "<svg/onload=window.__pwned=1>",
    "javascript:window.__pwned=1",
    "<a href=\"javascript:window.__pwned=1\">click</a>",
    "<scr<script>ipt>window.__pwned=1</scr</script>ipt>",
    "</title><script>window.__pwned=1</script>",
    "</textarea><script>window.__pwned=1</script>",
    "</style><script>window.__pwned=1</script>",
    "--><script>window.__pwned=1</script><!--",
    "]]><script>window.__pwned=1</script>",
    "</script><script>window.__pwned=1</script>",
    "\u2028</script><script>window.__pwned=1</script>",
    "+ADw-script+AD4-window.__pwned=1+ADw-/script+AD4-",
    "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
    "&#60;img src=x onerror=window.__pwned=1&#62;",
    "<scr\x00ipt>window.__pwned=1</scr\x00ipt>",
    "<img src=x one\x00rror=window.__pwned=1>",
    "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
    "<body onload=window.__pwned=1>",
    "<details open ontoggle=window.__pwned=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>",
    "<img src=\"http://198.51.100.7/beacon.png\">",
    "<link rel=stylesheet href=\"http://198.51.100.7/x.css\">",
    "<style>@import 'http://198.51.100.7/x.css';</style>",
    "<meta http-equiv=refresh content=\"0;url=javascript:window.__pwned=1\">",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "${window.__pwned=1}",
    # JavaScript template literals (folium writes tooltips between back-ticks)
    "`+(window.__pwned=1)+`",
    "\\`;window.__pwned=1;//",
    "\\${window.__pwned=1}\\",
    # Jinja2 (branca parses folium's rendered script as a template again)
    "{{ 7*7 }}{{ cycler.__init__.__globals__.os.getcwd() }}{% if 1 %}x{% endif %}{# c #}",
)

#: Tag names that must never come out of escaped text (the template may own some).
DANGEROUS_TAGS = frozenset({"script", "svg", "img", "iframe", "object", "embed", "math", "link",
                            "meta", "base", "form", "body", "details", "style", "a"})


class TagCounter(HTMLParser):
    """Counts real tags, event-handler attributes and javascript: URLs in an HTML string."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, int] = {}
        self.handlers: list[str] = []
        self.js_urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "content", "srcdoc") and value \
                    and re.sub(r"[\s\x00-\x1f]", "", value).lower().find("javascript:") >= 0:
                self.js_urls.append(f"<{tag} {name}={value[:40]!r}>")

    handle_startendtag = handle_starttag


def markup_of(html: str) -> TagCounter:
    counter = TagCounter()
    counter.feed(html)
    counter.close()
    return counter


def injected_markup(html: str, baseline: str | None = None) -> list[str]:
    """Tags/handlers/javascript: URLs in ``html`` that are not in the template's ``baseline``."""
    got = markup_of(html)
    base = markup_of(baseline) if baseline is not None else TagCounter()
    problems = [h for h in got.handlers if got.handlers.count(h) > base.handlers.count(h)]
    problems += [u for u in got.js_urls if u not in base.js_urls]
    for tag in DANGEROUS_TAGS:
        if got.tags.get(tag, 0) > base.tags.get(tag, 0):
            problems.append(f"{got.tags[tag] - base.tags.get(tag, 0)} extra <{tag}> tag(s)")
    low, low_base = html.lower(), (baseline or "").lower()
    for raw in ("<script", "<svg", "<img", "<iframe"):
        if low.count(raw) > low_base.count(raw):
            problems.append(f"raw {raw!r} in the HTML")
    return sorted(set(problems))


# --- images --------------------------------------------------------------------------------------

EXIF_TEXT = ("Make", "Model", "Software", "Artist", "Copyright", "ImageDescription",
             "LensModel", "LensMake", "BodySerialNumber", "LensSerialNumber",
             "XPTitle", "XPComment", "XPAuthor", "XPKeywords", "XPSubject")
IPTC_TEXT = ("ObjectName", "By-line", "By-lineTitle", "City", "Province-State",
             "Country-PrimaryLocationName", "Headline", "Credit", "Source", "CopyrightNotice",
             "Caption-Abstract")
XMP_PROPS = ("xmp:CreatorTool", "xmp:MetadataDate", "xmp:CreateDate", "xmp:ModifyDate",
             "xmpMM:DocumentID", "xmpMM:OriginalDocumentID", "xmpMM:InstanceID",
             "photoshop:Credit", "photoshop:Source", "photoshop:City", "photoshop:Country",
             "photoshop:DateCreated")


def safe_name(payload: str, index: int) -> str:
    """The payload as a file name (no slash, no NUL; Linux allows the rest)."""
    name = payload.replace("/", "_").replace("\x00", "_")[:150]
    return f"{index:02d}_{name}.jpg"


def hostile_image(payload: str, folder: Path, index: int, fmt: str = "JPEG") -> Path:
    """An image with ``payload`` in every text field osint_kit reads."""
    from osint_kit.testing.images import gps_tags, make_image, xmp_packet

    ascii_payload = payload.replace("\x00", "")
    exif: dict[str | int, Any] = {name: ascii_payload for name in EXIF_TEXT}
    exif["XPTitle"] = payload  # UTF-16LE keeps the NUL and the non-ASCII characters
    exif["DateTimeOriginal"] = "2022:11:18 10:30:00"
    exif["OffsetTimeOriginal"] = "+02:00"
    exif["UserComment"] = b"UNICODE\x00" + payload.encode("utf-16-le")
    exif["ImageUniqueID"] = ascii_payload[:32]
    xmp = xmp_packet(
        dict.fromkeys(XMP_PROPS, payload),
        history=[{"action": payload, "softwareAgent": payload, "when": payload,
                  "changed": payload}],
        subjects=[payload, payload], creators=[payload], description=payload,
    )
    name = safe_name(payload, index)
    if fmt != "JPEG":
        name = name[:-4] + {"PNG": ".png", "TIFF": ".tiff", "WEBP": ".webp"}[fmt]
    return make_image(
        folder / name, fmt=fmt,  # type: ignore[arg-type]
        exif=exif, gps=gps_tags(lat=50.45, lon=30.52, timestamp=dt.datetime(2022, 11, 18, 8, 30)),
        iptc={**dict.fromkeys(IPTC_TEXT, ascii_payload), "Keywords": [ascii_payload, "b"]},
        xmp=xmp.replace("\x00", ""), comment=ascii_payload, thumbnail="auto",
    )


#: Video tags a phone writes that the case report shows (written by ExifTool where it exists).
VIDEO_TAGS = ("Keys:Make", "Keys:Model", "Keys:Software", "ItemList:Encoder",
              "UserData:Make", "UserData:Model")


def hostile_video(payload: str, folder: Path, index: int) -> Path:
    """A short clip named after ``payload`` with it in every text tag the kit reads from a
    phone's video; without ExifTool only the file name carries the payload."""
    import shutil
    import subprocess

    from osint_kit.testing.videos import make_clip

    path = make_clip(folder / (safe_name(payload, index)[:-4] + ".mp4"), seconds=1.0,
                     size=(64, 48), fps=10, metadata={"title": payload.replace("\x00", "")})
    exiftool = shutil.which("exiftool")
    if exiftool:
        text = payload.replace("\x00", "")
        subprocess.run([exiftool, "-q", "-q", "-m", "-overwrite_original",
                        *(f"-{tag}={text}" for tag in VIDEO_TAGS),
                        "-Keys:CreationDate=2022:11:18 10:30:00+02:00", str(path)],
                       check=True, capture_output=True)
    return path


# --- the surfaces ------------------------------------------------------------------------------


def _repr(obj: Any) -> str:
    html = obj._repr_html_()
    assert isinstance(html, str), type(obj)
    return html


def _capture_page(p: str) -> str:
    from html import escape

    e = escape(p, quote=True)
    return (f"<html><head><title>{e}</title><meta name='author' content='{e}'>"
            f"<meta property='article:published_time' content='2022-11-19'></head><body>"
            f"<article><h1>{e}</h1><p>The mayor said “{e}” on Friday, 18 November 2022.</p>"
            f"<figure><img src='a.jpg'><figcaption>{e} Photo: {e}/Agency</figcaption></figure>"
            f"<p>“{e},” according to {e}.</p></article></body></html>")


def surfaces(payload: str, workdir: Path, index: int, full: bool = True) -> dict[str, str]:
    """``{surface: html}`` with the payload in every field each surface shows.

    ``full=False`` skips the slow surfaces (PNG/TIFF/WebP copies, the widget, HTML ingest and
    the case report, about 4 s): the test runs those once, for all payloads together.
    """
    out: dict[str, str] = {}
    folder = workdir / f"p{index:02d}"
    folder.mkdir(parents=True, exist_ok=True)

    # images: metadata, findings, scan table
    from osint_kit.media.read.metadata import read_metadata

    img = hostile_image(payload, folder, index)
    meta = read_metadata(img)
    out["ImageMetadata"] = _repr(meta)
    for fmt in ("PNG", "TIFF", "WEBP") if full else ():
        out[f"ImageMetadata[{fmt}]"] = _repr(read_metadata(hostile_image(payload, folder, index,
                                                                         fmt)))
    from osint_kit.media.forensics.inspect import inspect

    found = inspect(meta)
    out["Findings"] = _repr(found)
    for i, f in enumerate(list(found)[:3]):
        out[f"Finding[{i}]"] = _repr(f)

    # timeline
    from osint_kit.display.timeline import timeline_explorer
    from osint_kit.timeline import Event, Precision, Timeline, When

    when = When(dt.datetime(2022, 11, 18, tzinfo=dt.UTC),
                dt.datetime(2022, 11, 18, 23, 59, tzinfo=dt.UTC), Precision.DAY,
                text=payload, tz="UTC", provenance=payload)
    event = Event(label=payload, when=when, actors=(payload,), place=payload,
                  source_ids=("S0001",), description=payload, provenance=payload,
                  event_key=payload)
    timeline = Timeline([event, Event(label="benign", when=when)], title=payload)
    out["When"] = _repr(when)
    out["Event"] = _repr(event)
    out["Timeline"] = _repr(timeline)
    if full:
        box = timeline_explorer(timeline)
        out["timeline_explorer.table"] = box.controls["table"].value
        out["timeline_explorer.count"] = box.controls["count"].value
        out["timeline_explorer.static"] = box._repr_mimebundle_()["text/html"]
        box.controls["search"].value = payload[:20]  # the filter path renders too
        out["timeline_explorer.table(filtered)"] = box.controls["table"].value

    # sources
    from osint_kit.display.sources import matrix_html
    from osint_kit.sources import (
        Claim,
        Proposition,
        Source,
        cross_reference,
        ingest_html,
        ingest_text,
    )

    src = Source(id="S0001", title=payload, publisher=payload, author=payload,
                 url="javascript:window.__pwned=1", notes=payload)
    claim = Claim(id="C0001", source_id="S0001", text=payload, claimant=payload,
                  proposition_id="P0001", stance="supports", notes=payload, where=payload)
    prop = Proposition(id="P0001", statement=payload, where=payload, notes=payload)
    out["Source"], out["Claim"], out["Proposition"] = _repr(src), _repr(claim), _repr(prop)
    out["matrix_html"] = matrix_html(cross_reference([claim], [src]), title=payload)
    if not full:
        return out
    cap = ingest_html(_capture_page(payload), url="https://example.invalid/" + payload[:10],
                      reference="2022-11-19")
    out["Capture(html)"] = _repr(cap)
    for kind in ("lines", "captions", "quotations", "dates"):
        for i, item in enumerate(getattr(cap, kind)[:2]):
            out[f"Capture.{kind}[{i}]"] = _repr(item)
    text = f"{payload}\n\nThe mayor said “{payload}” on Friday.\n{payload} Photo: {payload}"
    out["Capture(text)"] = _repr(ingest_text(text, reference="2022-11-19", title=payload))

    # geo
    from osint_kit.geo import Place

    place = Place(name=payload, lat=50.45, lon=30.52, source=payload, note=payload)
    out["Place"] = _repr(place)

    # the case: report and displays
    out.update(case_surfaces(payload, folder, img))
    return out


def timelinejs_doc(payload: str) -> dict[str, Any]:
    """The TimelineJS export of a timeline whose every text field holds ``payload``."""
    from osint_kit.timeline import Event, Precision, Timeline, When
    from osint_kit.timeline.export import to_timelinejs

    when = When(dt.datetime(2022, 11, 18, tzinfo=dt.UTC),
                dt.datetime(2022, 11, 19, 23, 59, tzinfo=dt.UTC), Precision.DAY,
                text=payload, tz="UTC", provenance=payload)
    event = Event(label=payload, when=when, actors=(payload,), place=payload,
                  source_ids=("S0001",), description=payload, provenance=payload)
    return to_timelinejs(Timeline([event], title=payload), title=payload)


def timelinejs_page(*docs: dict[str, Any]) -> str:
    """A page that renders a TimelineJS document the way TimelineJS does: as HTML.

    TimelineJS puts ``headline``, ``text``, ``group`` and ``display_date`` into the page with
    innerHTML, so the export must have escaped them. The JSON itself is embedded safely (the
    harness escapes ``<``), as any page embedding it must.
    """
    data = json.dumps(list(docs)).replace("<", "\\u003c").replace("\u2028", "\\u2028")
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><div id='tl'></div>"
        f"<script>const docs = {data};\n"
        "const root = document.getElementById('tl');\n"
        "function add(html) { const d = document.createElement('div'); d.innerHTML = html;"
        " root.appendChild(d); }\n"
        "for (const doc of docs) {\n"
        "  if (doc.title) { add(doc.title.text.headline); add(doc.title.text.text); }\n"
        "  for (const e of doc.events) { add(e.text.headline); add(e.text.text);"
        " add(e.group || ''); add(e.display_date || ''); }\n}\n"
        "</script></body></html>"
    )


def case_surfaces(payload: str, folder: Path, image: Path) -> dict[str, str]:
    from osint_kit.case import Case

    out: dict[str, str] = {}
    case = Case.create(folder / "case", title=payload, actor=payload[:40])
    try:
        sid = case.add_source(title=payload, publisher=payload, author=payload,
                              url="javascript:window.__pwned=1", notes=payload)
        case.add_proposition(statement=payload, notes=payload)
        case.add_claim(source_id=sid, text=payload, claimant=payload, notes=payload)
        case.add_event(label=payload, kind="reported", earliest="2022-11-18T00:00:00+00:00",
                       latest="2022-11-18T23:59:59+00:00", precision="day", tz="UTC",
                       when_text=payload, when_provenance=payload, description=payload,
                       place=payload)
        case.add_note(payload, tags="open", target=payload)
        item = case.add_evidence(image, source=sid, acquired_from=payload, notes=payload)
        out["EvidenceItem"] = _repr(item)
        video = case.add_evidence(hostile_video(payload, folder, 0), source=sid,
                                  acquired_from=payload, notes=payload)
        frames = case.add_keyframes(video.id)  # the report's contact sheet
        out["EvidenceItem(video)"] = _repr(video)
        out["EvidenceItem(video frame)"] = _repr(frames[0])
        out["Case"] = _repr(case)
        report = case.verify()
        out["VerifyReport"] = _repr(report)
        html_path, _md = case.report(folder / "report.html")
        out["case report (file)"] = html_path.read_text(encoding="utf-8")
        out["case report (no CSP)"] = strip_csp(out["case report (file)"])
    finally:
        case.close()
    return out


def strip_csp(html: str) -> str:
    """The page without its Content-Security-Policy: escaping must hold on its own."""
    return re.sub(r"<meta[^>]+Content-Security-Policy[^>]*>", "", html, flags=re.IGNORECASE)


# --- discovery: every class with a _repr_html_ ----------------------------------------------------


def _value_for(tp: Any, payload: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is str or tp == "str":
        return payload
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        for arg in args:
            if arg is not type(None):
                return _value_for(arg, payload)
        return None
    if origin is tuple:
        return (payload,) if (not args or args[0] is str) else ()
    if tp is int:
        return 1
    if tp is float:
        return 1.0
    if tp is bool:
        return False
    if tp is dt.datetime:
        return dt.datetime(2022, 11, 18, 10, 30, tzinfo=dt.UTC)
    if origin in (dict, typing.Mapping) or tp is dict:
        return {payload: payload}
    raise TypeError(f"no value for {tp!r}")


#: Fields that hold HTML osint_kit itself rendered from escaped parts (report sections):
#: filling them with a payload would test the caller, not the library.
TRUSTED_MARKUP_FIELDS = frozenset({"html", "markdown"})


def iter_html_classes() -> list[type]:
    import osint_kit

    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(osint_kit.__path__, "osint_kit."):
        if ".cli" in info.name or info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 - optional extras may be missing
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "_repr_html_" in vars(cls):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[k] for k in sorted(found)]


def discovered_surfaces(payload: str) -> tuple[dict[str, str], list[str]]:
    """Construct each dataclass with a ``_repr_html_`` with the payload in its str fields."""
    out: dict[str, str] = {}
    skipped: list[str] = []
    for cls in iter_html_classes():
        name = f"{cls.__module__}.{cls.__qualname__}"
        if not dataclasses.is_dataclass(cls):
            skipped.append(f"{name} (not a dataclass: covered by surfaces() or skipped)")
            continue
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # noqa: BLE001
            hints = {}
        kwargs: dict[str, Any] = {}
        try:
            for f in dataclasses.fields(cls):
                if not f.init:
                    continue
                tp = hints.get(f.name, f.type)
                has_default = (f.default is not dataclasses.MISSING
                               or f.default_factory is not dataclasses.MISSING)
                if f.name in TRUSTED_MARKUP_FIELDS:
                    kwargs[f.name] = "<p>already rendered by osint_kit</p>"
                    continue
                try:
                    kwargs[f.name] = _value_for(tp, payload)
                except TypeError:
                    if not has_default:
                        raise
            obj = cls(**kwargs)
            html = _repr(obj)
        except Exception as err:  # noqa: BLE001 - validation refuses a payload: fine
            skipped.append(f"{name} ({type(err).__name__}: {str(err)[:60]})")
            continue
        out[f"discovered:{name}"] = html
    return out, skipped


Builder = Callable[[str, Path, int], dict[str, str]]
