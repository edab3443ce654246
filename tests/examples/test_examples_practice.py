"""The practice case (constructed for teaching): every stated fact recomputed with the kit.

Dates, weekdays, relative dates, EXIF times and positions, distances, bearings and the Sun:
each value the practice material states (the capture, the YAML files, the teacher's key
``examples/practice_truth.md`` and notebook 08) is recomputed here, so a wrong fact fails.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import osint_kit as ok
from osint_kit.workshop.casefiles import PRACTICE_TITLE, build_case, load_example_case
from osint_kit.workshop.checks import answer_key, check

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "examples" / "practice"
TRUTH = ROOT / "examples" / "practice_truth.md"
NOTEBOOK = ROOT / "notebooks" / "08_practice_case.py"
ZONE = ZoneInfo("Europe/Zagreb")
WEEKDAY_DATE = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? (\d{1,2}) "
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" (\d{4})")


@pytest.fixture(scope="module")
def case() -> ok.ExampleCase:
    return load_example_case(PRACTICE)


def _texts() -> dict[str, str]:
    files = [*PRACTICE.rglob("*.md"), *PRACTICE.rglob("*.yaml"), *PRACTICE.rglob("*.txt"),
             TRUTH, NOTEBOOK]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}


def _taken(path: Path) -> dt.datetime:
    taken = ok.read_metadata(path).datetime_original
    assert taken is not None, path
    return taken


def _sunset(lat: float, lon: float) -> dt.datetime:
    sunset = ok.sun_times((lat, lon), dt.date(2025, 7, 15), tz="Europe/Zagreb").sunset
    assert isinstance(sunset, dt.datetime)
    return sunset


def _hhmm(when: dt.datetime | None) -> str:
    assert when is not None
    return (when + dt.timedelta(seconds=30)).strftime("%H:%M")


def _table(heading: str, header: bool = True) -> list[list[str]]:
    """Rows of the first Markdown table after ``heading`` in the teacher's key (``header``:
    its header row follows the heading; else the heading is the header row itself)."""
    text = TRUTH.read_text(encoding="utf-8").split(heading, 1)[1]
    rows: list[list[str]] = []
    for line in text.splitlines()[1:]:
        if line.startswith("## ") or (rows and not line.strip()):
            break
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows[1:] if header else rows


def test_labelled_constructed_everywhere(case: ok.ExampleCase) -> None:
    for name, text in _texts().items():
        assert "CONSTRUCTED FOR TEACHING" in text or "constructed for teaching" in text, name
    head = case.capture_text.splitlines()[:6]  # right under the page's title
    assert any(line.startswith("[CONSTRUCTED FOR TEACHING") for line in head), head
    capture = ok.ingest_text(case.capture_text)  # notebook 08 names this tool for 8.1
    assert capture.page_date is not None and capture.page_date.text == "Friday, 25 July 2025"
    assert case.title == PRACTICE_TITLE and "CONSTRUCTED" in repr(case.timeline.title)
    for photo in sorted(case.evidence_dir.glob("*.jpg")):
        assert "CONSTRUCTED FOR TEACHING" in str(ok.read_metadata(photo).image_description)


def test_every_stated_weekday_is_right() -> None:
    seen = 0
    for name, text in _texts().items():
        for weekday, day, month, year in WEEKDAY_DATE.findall(text):
            date = dt.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
            assert date.strftime("%A") == weekday, (name, weekday, day, month, year)
            seen += 1
    assert seen >= 8


def test_dates_table_and_relative_dates(case: ok.ExampleCase) -> None:
    rows = _table("## Dates")
    assert len(rows) == 4
    for _what, stated, reference, day in rows:
        expected = dt.datetime.strptime(day.split(", ", 1)[1], "%d %B %Y").date()
        if reference == "-":
            assert stated.split('"')[1] == day
            continue
        when = ok.parse_when(stated, reference=reference, tz="Europe/Zagreb")
        assert {d.date() for d in when.local()} == {expected}, (stated, reference)
    published, captured = (dt.datetime.strptime(r[3].split(", ")[1], "%d %B %Y").date()
                           for r in rows[:2])
    assert f"Days from publication to capture: {(captured - published).days}." in \
        TRUTH.read_text(encoding="utf-8")
    assert f"Published: {rows[0][3]}" in case.capture_text
    assert rows[1][3] in case.capture_text.splitlines()[1]
    src = case.sources.source("adria_digest")
    assert src.captured_at == captured.isoformat()
    assert ok.parse_when(src.published).local()[0].date() == published
    digest_event = case.timeline.df.set_index("event_id").loc["E02_power_loss_digest"]
    assert digest_event["earliest"].tz_convert(ZONE).date() == dt.date(2025, 7, 15)


def test_claims_about_resolve_against_stated(case: ok.ExampleCase) -> None:
    """Every claim's `about`, read against its `stated`, falls on the day of the story."""
    for claim in case.sources.claims:
        stated = ok.parse_when(claim.stated, tz="Europe/Zagreb").local()[0].date()
        about = ok.parse_when(claim.about, reference=stated.isoformat(), tz="Europe/Zagreb")
        assert {d.date() for d in about.local()} == {dt.date(2025, 7, 15)}, claim.id
        source = case.sources.source(claim.source_id)
        assert ok.parse_when(source.published).local()[0].date() == stated, claim.id


def test_photos_match_the_key_events_and_places(case: ok.ExampleCase) -> None:
    events = case.timeline.df.set_index("event_id")
    rows = _table("## Photos")
    assert len(rows) == 2
    for file, camera, offset, utc, lat, lon, sign in rows:
        meta = ok.read_metadata(case.evidence_dir / file)
        taken = _taken(case.evidence_dir / file)
        assert meta.gps_latitude is not None and meta.gps_longitude is not None
        assert taken.strftime("%Y-%m-%d %H:%M:%S") == camera
        assert taken.isoformat()[-6:] == offset
        assert taken.astimezone(dt.UTC).strftime("%H:%M:%S") == utc
        assert (round(meta.gps_latitude, 4), round(meta.gps_longitude, 4)) == (float(lat), float(lon))
        findings = {f.code for f in ok.inspect(case.evidence_dir / file)}
        assert ("editing_software" in findings) == (sign != "none"), file
        assert ("thumbnail_mismatch" in findings) == ("stale thumbnail" in sign), file
        if sign != "none":
            assert meta.software and meta.software in sign
        event = events.loc["E03_photo_1" if file.endswith("1.jpg") else "E05_photo_2"]
        assert event["earliest"].to_pydatetime() == taken
        place = case.place(event["place"])
        assert ok.distance(place, (meta.gps_latitude, meta.gps_longitude)) < 20
    tied_up = events.loc["E04_tied_up", "earliest"].tz_convert(ZONE)
    fault = events.loc["E01_power_loss", "earliest"].tz_convert(ZONE)
    # the capture: "shortly after half past four", "tied up before six o'clock"
    assert (fault.hour, 30) <= (fault.hour, fault.minute) and fault.hour == 16
    assert tied_up.hour == 17
    photo_2 = events.loc["E05_photo_2", "earliest"].tz_convert(ZONE)
    assert photo_2 > tied_up  # photo 2 shows the ferry in the harbour


def test_distances_and_bearings(case: ok.ExampleCase) -> None:
    rows = _table("## Distances and bearings")
    assert len(rows) == 3
    for a, b, km, bearing in rows:
        assert ok.distance(case.place(a), case.place(b)) / 1000 == pytest.approx(float(km),
                                                                                 abs=0.006)
        assert ok.bearing(case.place(a), case.place(b)) == pytest.approx(float(bearing),
                                                                         abs=0.06)


def test_sun_facts(case: ok.ExampleCase) -> None:
    sun_rows, times_rows = _table("## The Sun")[:3], _table("| place | date | sunrise", header=False)
    for name, local, az, elev, shadow_az in sun_rows:
        place = case.place(name)
        when = dt.datetime.fromisoformat(local).replace(tzinfo=ZONE)
        pos = ok.sun_position(place, when)
        assert pos.azimuth == pytest.approx(float(az), abs=0.06)
        assert pos.elevation == pytest.approx(float(elev), abs=0.06)
        assert ok.shadow(place, when).azimuth == pytest.approx(float(shadow_az),
                                                                             abs=0.06)
    (name, date, sunrise, sunset), = times_rows
    place = case.place(name)
    times = ok.sun_times(place, dt.date.fromisoformat(date), tz="Europe/Zagreb")
    assert [_hhmm(times.sunrise), _hhmm(times.sunset)] == [sunrise, sunset]
    # "Photo 2 (17:56:30) is 2 h 35 min before sunset", "2.5 hours before sunset (20:32)"
    gap = _sunset(place.lat, place.lon) - dt.datetime(2025, 7, 15, 17, 56, 30, tzinfo=ZONE)
    assert int(gap.total_seconds() // 60) == 2 * 60 + 35
    assert "2 h 35 min before sunset" in TRUTH.read_text(encoding="utf-8")


def test_notebook_prose_facts(case: ok.ExampleCase) -> None:
    """The numbers in notebook 08's model answers are the kit's."""
    text = NOTEBOOK.read_text(encoding="utf-8")
    spot, harbour = case.place("Photo 1 position (EXIF GPS)"), case.place("Supetar ferry harbour")
    km = ok.distance(spot, harbour) / 1000
    assert f"{km:.1f} km north-west of Supetar" in text
    assert 292.5 <= (ok.bearing(spot, harbour) + 180) % 360 <= 337.5 or \
        112.5 <= ok.bearing(spot, harbour) <= 157.5  # the photo lies NW of the harbour
    assert "six minutes after the reported fault" in text  # 16:35 -> 16:41
    fault = case.timeline.df.set_index("event_id").loc["E01_power_loss", "earliest"]
    photo = _taken(case.evidence_dir / "practice_photo_1.jpg")
    assert (photo - fault.to_pydatetime()).total_seconds() // 60 == 6
    assert "16:41 CEST (14:41\n# UTC)" in text or "16:41 CEST (14:41 UTC)" in text
    sunset = _sunset(harbour.lat, harbour.lon)
    assert "**2.5 hours before sunset** (20:32)" in text
    assert _hhmm(sunset) == "20:32"
    at_sunset = ok.shadow(harbour, sunset).azimuth
    assert "pointing east-south-east" in text and 101.25 <= at_sunset <= 123.75


def test_origins_and_assessments(case: ok.ExampleCase) -> None:
    """Many outlets, one origin: four copies of the harbour office, three origins for P1."""
    srcs = case.sources
    p1 = ok.independent_origins("P1_power_loss", srcs.claims, srcs.sources)
    assert p1.supporting == 3 and p1.contradicting == 0
    groups = {g.origins: set(g.sources) for g in p1.supporting_groups}
    assert groups[("harbour_office",)] == {"adria_digest", "coast_morning", "dalmatian_wire",
                                           "harbour_office", "island_herald"}
    assert "three origins in all" in NOTEBOOK.read_text(encoding="utf-8")
    table = ok.assessment_table(srcs.claims, srcs.sources, srcs.propositions).set_index(
        "proposition_id")
    assert table.loc["P2_lifeboats", "supporting_origins"] == 0
    assert table.loc["P2_lifeboats", "contradicting_origins"] == 2
    assert srcs.validate() == []


def test_answer_key_agrees_with_the_kit(case: ok.ExampleCase) -> None:
    """Each practice check accepts the value the kit computes (and the capture-date trap
    is not accepted)."""
    harbour = case.place("Supetar ferry harbour")
    spot = case.place("Photo 1 position (EXIF GPS)")
    photo_2 = _taken(case.evidence_dir / "practice_photo_2.jpg")
    photo_1 = _taken(case.evidence_dir / "practice_photo_1.jpg")
    sunset = _sunset(harbour.lat, harbour.lon)
    computed = {
        "practice_capture_days": (dt.date(2025, 7, 25) - dt.date(2025, 7, 17)).days,
        "practice_on_tuesday": ok.parse_when("on Tuesday", reference="2025-07-17",
                                             tz="Europe/Zagreb"),
        "practice_origins_p1": ok.independent_origins(
            "P1_power_loss", case.sources.claims, case.sources.sources).supporting,
        "practice_photo1_utc": photo_1.astimezone(dt.UTC),
        "practice_edited_photo": "practice_photo_2.jpg",
        "practice_distance_km": ok.distance(spot, harbour) / 1000,
        "practice_bearing": ok.bearing(spot, harbour),
        "practice_sunset": sunset,
        "practice_shadow_azimuth": ok.shadow(harbour, photo_2).azimuth,
    }
    for name, value in computed.items():
        assert check(name, value).status == "correct", (name, check(name, value))
    trap = ok.parse_when("on Tuesday", reference="2025-07-25", tz="Europe/Zagreb")
    assert check("practice_on_tuesday", trap).status == "wrong"
    assert {n for n in answer_key() if n.startswith("practice_")} >= set(computed)


def test_practice_case_builds_into_a_case(tmp_path: Path, case: ok.ExampleCase) -> None:
    import hashlib

    def digests() -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(case.evidence_dir.glob("*.jpg"))}

    before = digests()
    built = build_case(tmp_path / "practice_case", case, title="Practice (constructed)",
                       evidence_source="passenger_posts",
                       evidence_note="CONSTRUCTED FOR TEACHING - fictional photo",
                       evidence_from="examples/make_practice_images.py", open_questions=())
    assert "sources=7" in repr(built) and "evidence=2" in repr(built)
    assert len(before) == 2 and digests() == before  # originals only read
