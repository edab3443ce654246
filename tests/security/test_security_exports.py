"""Exports opened in other programs: CSV in spreadsheets, KML in globe viewers, GeoJSON shared.

* every CSV the kit writes (scan via the CLI, Timesketch CSV, timeline CSV, case tables,
  source tables) holds no cell a spreadsheet would run as a formula, and reads back to the
  original text (formulas, quotes, and a field over the csv module's 131,072 characters);
* KML names, descriptions and ExtendedData values render as inert text in an HTML viewer;
* KML and GeoJSON of a scan hold no absolute path of the investigator's machine unless asked.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd
import pytest
from injection_surfaces import PAYLOADS, injected_markup

from osint_kit import safecsv
from osint_kit.geo import Place, to_geojson, to_kml
from osint_kit.testing.hostile_text import FORMULAS
from osint_kit.timeline import Event, Precision, Timeline, When
from osint_kit.timeline.export import from_timesketch, to_timesketch_csv

LONG = "L" * 200_000
TEXTS = (*FORMULAS, LONG, "=" + LONG)


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh, safecsv.long_fields():
        return [cell for row in csv.reader(fh) for cell in row]


def _live_formulas(paths: list[Path]) -> list[tuple[str, str]]:
    """Cells a spreadsheet would evaluate: a trigger character first."""
    return [(p.name, c[:40]) for p in paths for c in _cells(p) if c.startswith(safecsv.FORMULA_START)]


@pytest.mark.parametrize("text", ["=1", "'=1", "''=1", "'", "-", "", "a=b", "@", "\t", "x"])
def test_neutralise_restore_is_a_round_trip(text: str) -> None:
    assert safecsv.restore(safecsv.neutralise(text)) == text
    assert not str(safecsv.neutralise(text)).startswith(safecsv.FORMULA_START)


def _timeline(texts: tuple[str, ...]) -> Timeline:
    when = When(dt.datetime(2022, 11, 18, tzinfo=dt.UTC), dt.datetime(2022, 11, 18, 23, 59,
                tzinfo=dt.UTC), Precision.DAY, text="18 Nov", tz="UTC", provenance="p")
    return Timeline([Event(label=t, when=when, description=t, place=t, provenance=t,
                           event_key=f"k{i}") for i, t in enumerate(texts)], title="t")


def test_timesketch_and_timeline_csv(tmp_path: Path) -> None:
    timeline = _timeline(TEXTS)
    ts = to_timesketch_csv(timeline, tmp_path / "ts.csv")
    plain = timeline.to_csv(tmp_path / "events.csv")
    assert not _live_formulas([ts, plain])
    back = from_timesketch(ts)
    assert sorted(back.df["label"]) == sorted(TEXTS)
    assert sorted(back.df["place"]) == sorted(TEXTS)
    again = Timeline.load(plain)
    assert sorted(again.df["label"]) == sorted(TEXTS)
    assert sorted(again.df["description"]) == sorted(TEXTS)


def test_case_tables_and_source_tables(tmp_path: Path) -> None:
    from osint_kit.case import Case
    from osint_kit.sources import Source, SourceSet
    from osint_kit.sources.store import load_csv, save_csv

    case = Case.create(tmp_path / "case", title=FORMULAS[0])
    try:
        ids = [case.add_source(title=t, publisher=t, notes=t) for t in TEXTS]
        case.add_note(FORMULAS[1], tags="open")
        written = case.export_tables(tmp_path / "tables", fmt="csv")
    finally:
        case.close()
    csvs = [p for p in written if p.suffix == ".csv"]
    assert not _live_formulas(csvs)
    copy = Case.from_tables(tmp_path / "tables", tmp_path / "copy")
    try:
        titles = {r["id"]: r["title"] for r in copy._store.rows("sources")}
    finally:
        copy.close()
    assert [titles[i] for i in ids] == list(TEXTS)

    sources = SourceSet(sources=tuple(Source(id=f"S{i:04d}", title=t, notes=t)
                                      for i, t in enumerate(TEXTS)))
    folder = save_csv(sources, tmp_path / "sources")
    assert not _live_formulas(sorted(folder.glob("*.csv")))
    assert [s.title for s in load_csv(folder).sources] == list(TEXTS)


def test_scan_csv_from_the_cli(tmp_path: Path) -> None:
    from osint_kit.cli import main
    from osint_kit.testing.images import make_image

    folder = tmp_path / "photos"
    folder.mkdir()
    names = ['=HYPERLINK("http:__198.51.100.7","x").jpg', "+1+1.jpg", "@SUM(A1).jpg",
             "-2.jpg"]
    for name in names:
        make_image(folder / name, exif={"Make": "=1+1", "Artist": "@cmd"})
    out = tmp_path / "scan.csv"
    assert main(["scan", str(folder), "--out", str(out), "--quiet", "--workers", "0"]) == 0
    assert not _live_formulas([out])
    back = safecsv.restore_frame(pd.read_csv(out, dtype=str, keep_default_na=False))
    assert sorted(back["file_name"]) == sorted(names)
    assert set(back["make"]) == {"=1+1"}


def _kml_texts(kml: str) -> list[str]:
    """What a viewer puts into its HTML balloon: names, descriptions and Data values."""
    root = ET.fromstring(kml)
    return [el.text or "" for el in root.iter()
            if el.tag.rsplit("}", 1)[-1] in ("name", "description", "value")]


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=[f"p{i:02d}" for i in
                                                              range(len(PAYLOADS))])
def test_kml_text_renders_inert(index: int) -> None:
    payload = PAYLOADS[index]
    kml = to_kml([Place(name=payload, lat=50.0, lon=30.0, note=payload, source=payload)],
                 name=payload)
    texts = _kml_texts(kml)
    shown = "".join(texts)
    assert not injected_markup(shown), (payload, injected_markup(shown))
    # and a viewer shows the original characters
    assert html.unescape(texts[1]).replace("\x00", "") == payload.replace("\x00", "") or \
        "\x00" in payload


def test_no_investigator_paths_in_kml_or_geojson(tmp_path: Path) -> None:
    secret = tmp_path / "Users" / "analyst" / "case-7" / "IMG_0001.jpg"
    scan = pd.DataFrame({"path": [str(secret)], "file_name": ["IMG_0001.jpg"],
                         "gps_latitude": [50.0], "gps_longitude": [30.0],
                         "error": [f"{secret}: a note naming the path"]})
    kml = to_kml(scan)
    geo = json.dumps(to_geojson(scan))
    for text in (kml, geo):
        assert str(tmp_path) not in text and "analyst" not in text
        assert "IMG_0001.jpg" in text
    assert str(secret) in to_kml(scan, include_paths=True)
    assert str(secret) in json.dumps(to_geojson(scan, include_paths=True))
