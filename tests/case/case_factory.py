"""Builders for the case tests: a small generated case with known content."""

from __future__ import annotations

from pathlib import Path

from osint_kit.case import Case

PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'


def make_png(path: Path, colour: tuple[int, int, int] = (200, 30, 30), size=(64, 48)) -> Path:
    from PIL import Image

    Image.new("RGB", size, colour).save(path, format="PNG")
    return path


def build_case(folder: Path, files_dir: Path, payload: str = "") -> Case:
    """A case with 3 evidence files, sources, claims, an event, notes and an edit."""
    files_dir.mkdir(parents=True, exist_ok=True)
    case = Case.create(folder, title=f"Rail cars Nov 2022 {payload}", actor="tester")
    a = make_png(files_dir / f"photo-a{payload.replace('/', '_')}.png", (200, 30, 30))
    b = make_png(files_dir / "photo-b.png", (30, 200, 30), (32, 32))
    c = files_dir / "capture.txt"
    c.write_text("Zażółć gęślą jaźń: aggregator copy " + payload, encoding="utf-8")
    s1 = case.add_source(title=f"White House briefing {payload}", kind="primary statement",
                         published="2023-01-20", url="https://example.org/brief")
    s2 = case.add_source(title="Aggregator copy", kind="aggregator copy", cites=s1,
                         published="2024-02-26")
    p1 = case.add_proposition(statement=f"Five rail cars crossed on 18 Nov 2022 {payload}")
    case.add_claim(source_id=s1, proposition_id=p1, stance="supports", text=f"Kirby {payload}")
    case.add_claim(source_id=s2, proposition_id=p1, stance="mentions", text="copy")
    ea = case.add_evidence(a, source=s1, acquired_from=f"https://example.org/a {payload}")
    case.add_evidence(b, source=s1, acquired_from="handed over on a USB stick")
    case.add_evidence(c, source=s2, acquired_from="saved page")
    case.add_working_copy(ea.id, b"\x89PNG-not-really-a-crop", "crop 0,0,10,10")
    case.add_event(label=f"rail cars enter North Korea {payload}",
                   earliest="2022-11-18T00:00:00+00:00", latest="2022-11-18T23:59:59+00:00",
                   precision="day", when_text="November 18th", source_ids=s1)
    case.add_note(f"Who took the satellite image? {payload}", tags="open", target=ea.id)
    case.add_note("checked weekday of 2022-11-18", tags="done")
    case.update("claims", "C0002", notes="copied verbatim")
    return case
