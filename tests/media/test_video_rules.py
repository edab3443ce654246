"""Video findings: each rule fires on the record that should trigger it and stays silent on a
clean phone clip. Records are stand-ins with the field names of ``VideoMetadata``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from osint_kit.geo.sun import sun_position
from osint_kit.media.forensics.model import Finding, Findings
from osint_kit.media.forensics.video_rules import VIDEO_TEXTS, video_findings

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
SEOUL = timezone(timedelta(hours=9))

#: every field of the VideoMetadata record, as a phone writes them (an iPhone clip in Seoul,
#: recorded at 10:30 local time, held upright: stored landscape, rotated 90°)
PHONE: dict[str, Any] = {
    "path": "/evidence/IMG_0001.MOV", "file_name": "IMG_0001.MOV", "file_size": 31_457_280,
    "kind": "video", "container": "mov", "brand": "qt  ", "video_codec": "hevc",
    "audio_codec": "aac", "width": 1920, "height": 1080, "display_width": 1080,
    "display_height": 1920, "rotation": 90, "fps": 29.97, "frame_count": 375,
    "duration_s": 12.52, "stream_duration_s": 12.51,
    "created_raw": "2022-11-18T01:30:00Z",
    "created_utc": datetime(2022, 11, 18, 1, 30, tzinfo=UTC),
    "created_assumption": "mvhd creation time, UTC as the QuickTime specification says",
    "created_local": datetime(2022, 11, 18, 10, 30, 1, tzinfo=SEOUL),
    "modified_utc": datetime(2022, 11, 18, 1, 30, 13, tzinfo=UTC),
    "gps_latitude": 37.5665, "gps_longitude": 126.978, "gps_altitude": 38.0,
    "make": "Apple", "model": "iPhone 12", "software": "16.1", "encoder": "HEVC",
    "has_xmp": False, "xmp": {}, "edit_list": ((12.51, 0.0),),
    "handlers": ("Core Media Video", "Core Media Audio"), "tags": {}, "provenance": {},
    "warnings": (),
}


def clip(**changes: Any) -> SimpleNamespace:
    return SimpleNamespace(**{**PHONE, **changes})


def codes(record: Any) -> list[str]:
    return [f.code for f in video_findings(record, now=NOW)]


def only(record: Any, code: str) -> Finding:
    found = [f for f in video_findings(record, now=NOW) if f.code == code]
    assert len(found) == 1, codes(record)
    return found[0]


#: a record that triggers each code (and the codes it is expected to give, exactly)
TRIGGERS: dict[str, tuple[dict[str, Any], set[str]]] = {
    "video_reencoded": ({"encoder": "Lavf58.76.100"}, {"video_reencoded"}),
    "video_software_encoded": ({"make": None, "model": None, "software": "HandBrake 1.6.1"},
                               {"video_software_encoded"}),
    "video_metadata_stripped": ({"make": None, "model": None, "created_utc": None,
                                 "created_raw": None, "created_local": None,
                                 "gps_latitude": None, "gps_longitude": None,
                                 "gps_altitude": None, "encoder": None, "software": None},
                                {"video_metadata_stripped"}),
    "video_sun_below_horizon": ({"created_utc": datetime(2022, 11, 18, 14, 0, tzinfo=UTC),
                                 "created_local": None}, {"video_sun_below_horizon"}),
    "video_duration_mismatch": ({"duration_s": 20.0}, {"video_duration_mismatch"}),
    "video_display_size_mismatch": ({"rotation": 0}, {"video_display_size_mismatch"}),
    "video_edit_list": ({"edit_list": ((9.5, 3.0),)}, {"video_edit_list"}),
    "video_created_in_future": ({"created_utc": datetime(2030, 1, 1, 1, 30, tzinfo=UTC),
                                 "created_local": None}, {"video_created_in_future"}),
    "video_created_too_early": ({"created_utc": datetime(1999, 6, 1, 12, 0, tzinfo=UTC),
                                 "created_local": None}, {"video_created_too_early"}),
    "video_created_zero": ({"created_utc": datetime(1904, 1, 1, tzinfo=UTC), "created_raw": 0,
                            "created_local": None}, {"video_created_zero"}),
    "video_created_zone_shift": ({"created_utc": datetime(2022, 11, 18, 10, 30, 1, tzinfo=UTC)},
                                 {"video_created_zone_shift"}),
    "video_created_disagree": ({"created_utc": datetime(2022, 11, 21, 1, 30, tzinfo=UTC)},
                               {"video_created_disagree"}),
}


def test_clean_phone_clip_has_no_findings() -> None:
    assert video_findings(clip(), now=NOW) == []
    # the track header's size (before rotation), as MP4 stores it, is just as clean
    assert video_findings(clip(display_width=1920, display_height=1080), now=NOW) == []
    # a dict with the same fields works too
    assert video_findings(dict(PHONE), now=NOW) == []


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_rule_fires_alone(code: str) -> None:
    changes, expected = TRIGGERS[code]
    found = video_findings(clip(**changes), now=NOW)
    assert {f.code for f in found} == expected
    for f in found:
        assert isinstance(f, Finding)
        assert f.path == PHONE["path"]
        assert f.severity in ("info", "notice", "warning")
        assert f.title and f.explanation and f.evidence
        assert "{" not in f.explanation and "{" not in f.title  # every placeholder filled
        assert all(isinstance(v, str) for v in f.evidence.values())


def test_every_code_has_a_trigger() -> None:
    assert set(TRIGGERS) == set(VIDEO_TEXTS)


# --- re-encoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "name"), [
    ("encoder", "Lavf60.3.100", "FFmpeg (libavformat)"),
    ("software", "CapCut", "CapCut"),
    ("encoder", "HandBrake 1.7.0 2023111500", "HandBrake"),
    ("xmp", {"xmp:CreatorTool": "Adobe Premiere Pro 2024.0"}, "Adobe Premiere"),
])
def test_reencoded_names_the_program(field: str, value: Any, name: str) -> None:
    f = only(clip(**{field: value}), "video_reencoded")
    assert name in f.title and "Apple iPhone 12" in f.explanation
    assert f.evidence["make/model"] == "Apple iPhone 12"
    g = only(clip(**{field: value, "make": None, "model": None}), "video_software_encoded")
    assert name in g.title


@pytest.mark.parametrize("encoder", ["HEVC", "H.264", "GoPro AVC encoder", "", None])
def test_device_encoders_are_not_software(encoder: str | None) -> None:
    assert codes(clip(encoder=encoder)) == []


# --- stripped ------------------------------------------------------------------------------------


def test_stripped_needs_everything_missing() -> None:
    changes, _ = TRIGGERS["video_metadata_stripped"]
    assert codes(clip(**{**changes, "make": "Apple"})) == []
    assert codes(clip(**{**changes, "gps_latitude": 1.0, "gps_longitude": 2.0})) == []
    f = only(clip(**changes), "video_metadata_stripped")
    assert "typical" in f.explanation and "not proof" in f.explanation
    # a zero creation time counts as missing, and is named as such
    zero = clip(**{**changes, "created_utc": datetime(1904, 1, 1, tzinfo=UTC)})
    assert sorted(codes(zero)) == ["video_created_zero", "video_metadata_stripped"]
    assert "zero" in only(zero, "video_metadata_stripped").evidence["creation time"]
    # with an encoder named, both signs are reported
    assert sorted(codes(clip(**{**changes, "encoder": "Lavf58.29.100"}))) == [
        "video_metadata_stripped", "video_software_encoded"]


# --- sun -----------------------------------------------------------------------------------------


def test_sun_below_horizon_states_the_elevation() -> None:
    when = datetime(2022, 11, 18, 14, 0, tzinfo=UTC)  # 23:00 in Seoul
    f = only(clip(created_utc=when, created_local=None), "video_sun_below_horizon")
    expected = sun_position((PHONE["gps_latitude"], PHONE["gps_longitude"]), when).elevation
    assert expected < -18
    assert f.evidence["sun elevation (°)"] == f"{expected:.1f}"
    assert f"{-expected:.1f}° below the horizon" in f.explanation
    assert "keyframe" in f.explanation and "night" in f.explanation
    assert f.evidence["created_assumption"] == PHONE["created_assumption"]


def test_sun_twilight_is_named() -> None:
    # find a time in civil twilight after sunset in Seoul on that day
    base = datetime(2022, 11, 18, 8, 0, tzinfo=UTC)
    when = next(base + timedelta(minutes=m) for m in range(0, 180)
                if -6 < sun_position((37.5665, 126.978), base + timedelta(minutes=m)).elevation < -1)
    f = only(clip(created_utc=when, created_local=None), "video_sun_below_horizon")
    assert "civil twilight" in f.explanation


@pytest.mark.parametrize("changes", [
    {"gps_latitude": None}, {"gps_longitude": None}, {"created_utc": None},
    {"gps_latitude": 0.0, "gps_longitude": 0.0}, {"gps_latitude": 137.0},
    {"gps_latitude": float("nan")},
])
def test_sun_needs_place_and_time(changes: dict[str, Any]) -> None:
    night = {"created_utc": datetime(2022, 11, 18, 14, 0, tzinfo=UTC), "created_local": None}
    assert "video_sun_below_horizon" not in codes(clip(**{**night, **changes}))


# --- duration, display, edits --------------------------------------------------------------------


@pytest.mark.parametrize(("container", "stream", "fires"), [
    (12.52, 12.51, False), (12.5, 11.6, False), (12.5, 11.4, True), (100.0, 98.1, False),
    (100.0, 97.9, True), (8.0, 12.5, True), (None, 12.5, False), (0.0, 12.5, False),
])
def test_duration_tolerance(container: float | None, stream: float, fires: bool) -> None:
    found = codes(clip(duration_s=container, stream_duration_s=stream, edit_list=()))
    assert ("video_duration_mismatch" in found) is fires


@pytest.mark.parametrize(("stored", "display", "rotation", "fires"), [
    ((1920, 1080), (1080, 1920), 90, False),     # rotated size, as players report it
    ((1920, 1080), (1920, 1080), 90, False),     # track header size, before rotation
    ((1920, 1080), (1080, 1920), -90, False),
    ((1920, 1080), (1920, 1080), 180, False),
    ((1920, 1080), (1920, 1080), None, False),
    ((1920, 1088), (1920, 1080), 0, False),      # coded height, cropped on display
    ((1080, 1080), (1080, 1080), 0, False),      # square: turned or not, the same
    ((1920, 1080), (1080, 1920), 0, True),       # portrait shown without a rotation
    ((1920, 1080), (1080, 1920), 180, True),
    ((1440, 1080), (1920, 1080), 0, True),       # non-square pixels
    ((1920, 1080), (1920, 1080), 45, True),      # not a quarter turn
])
def test_display_size(stored: tuple[int, int], display: tuple[int, int], rotation: int | None,
                      fires: bool) -> None:
    record = clip(width=stored[0], height=stored[1], display_width=display[0],
                  display_height=display[1], rotation=rotation)
    assert ("video_display_size_mismatch" in codes(record)) is fires


@pytest.mark.parametrize(("edits", "phrase"), [
    (((12.51, 0.0),), None),
    (((12.44, 0.067),), None),                   # B-frame delay
    (((0.1, -1.0), (12.5, 0.0)), None),          # a small start gap (audio priming)
    ((), None),
    (((9.5, 3.0),), "skip the first 3.00 s"),
    (((2.0, -1.0), (10.5, 0.0)), "show nothing for 2.00 s"),
    (((3.0, 0.0), (3.0, 6.0)), "play 2 separate pieces"),
    (((5.0, 0.0),), "stop after 5.00 s"),
])
def test_edit_lists(edits: tuple[tuple[float, float], ...], phrase: str | None) -> None:
    found = [f for f in video_findings(clip(edit_list=edits), now=NOW)
             if f.code == "video_edit_list"]
    if phrase is None:
        assert found == []
    else:
        assert len(found) == 1 and phrase in found[0].explanation


def test_long_edit_lists_are_cut_in_the_evidence() -> None:
    edits = tuple((0.5, float(i)) for i in range(500))
    f = only(clip(edit_list=edits), "video_edit_list")
    assert "492 more" in f.evidence["edits (duration from media time)"]
    assert f.evidence["entries"] == "500"


# --- creation times ------------------------------------------------------------------------------


def test_future_is_measured_against_now() -> None:
    soon = {"created_utc": NOW + timedelta(hours=20), "created_local": None}
    assert codes(clip(**soon)) == []  # within a day: clocks and zones
    assert codes(clip(**{**soon, "created_utc": NOW + timedelta(days=2)})) == [
        "video_created_in_future"]
    with pytest.raises(ValueError):
        video_findings(clip(), now=datetime(2026, 1, 1))


@pytest.mark.parametrize("raw", [0, "0", "1904-01-01T00:00:00Z", "0000:00:00 00:00:00"])
def test_zero_creation_time_from_the_raw_value(raw: Any) -> None:
    record = clip(created_utc=None, created_raw=raw, created_local=None)
    assert codes(record) == ["video_created_zero"]


def test_local_time_written_as_utc() -> None:
    f = only(clip(**TRIGGERS["video_created_zone_shift"][0]), "video_created_zone_shift")
    assert f.severity == "info" and "local clock time itself" in f.explanation
    assert f.evidence["difference"] == "-09:00:00"
    # a whole-zone difference that is not the local offset: unclear which
    g = only(clip(created_utc=datetime(2022, 11, 18, 4, 30, tzinfo=UTC)),
             "video_created_zone_shift")
    assert "unclear" in g.explanation


@pytest.mark.parametrize(("utc", "severity"), [
    (datetime(2022, 11, 21, 1, 30, tzinfo=UTC), "warning"),          # three days
    (datetime(2022, 11, 18, 16, 0, tzinfo=UTC), "warning"),          # 14.5 h
    (datetime(2022, 11, 18, 2, 7, 13, tzinfo=UTC), "notice"),        # 37 min 12 s
])
def test_created_times_disagree(utc: datetime, severity: str) -> None:
    f = only(clip(created_utc=utc), "video_created_disagree")
    assert f.severity == severity


def test_start_and_end_stamps_of_a_long_clip_agree() -> None:
    # some devices stamp the end of recording: a 10-minute clip's two stamps 10 min apart
    record = clip(duration_s=600.0, stream_duration_s=600.0, edit_list=((600.0, 0.0),),
                  created_local=datetime(2022, 11, 18, 10, 40, 0, tzinfo=SEOUL))
    assert codes(record) == []


# --- hostile records -----------------------------------------------------------------------------


HOSTILE = "<script>alert(1)</script>\"'&{0}{names}"


def test_html_escapes_everything_from_the_record() -> None:
    record = clip(path=f"/e/{HOSTILE}.mov", encoder=f"Lavf {HOSTILE}", make=HOSTILE,
                  model=HOSTILE, created_assumption=HOSTILE, created_raw=HOSTILE,
                  created_utc=datetime(2022, 11, 18, 14, 0, tzinfo=UTC), created_local=None,
                  rotation=0, duration_s=30.0, edit_list=((2.0, 4.0),))
    found = video_findings(record, now=NOW)
    assert {"video_reencoded", "video_sun_below_horizon", "video_display_size_mismatch",
            "video_duration_mismatch", "video_edit_list"} <= {f.code for f in found}
    page = Findings(found, record.path)._repr_html_()
    assert "<script" not in page and "&lt;script&gt;" in page
    assert not re.search(r"=\s*alert", page.replace("&lt;", ""))  # no attribute made of it
    # the evidence goes in as text: placeholders in it are not expanded
    assert any("{names}" in f.explanation for f in found)


@pytest.mark.parametrize("changes", [
    {"width": "1920", "height": None, "display_width": float("inf")},
    {"rotation": "90", "duration_s": "12", "stream_duration_s": float("nan")},
    {"edit_list": "not a list"}, {"edit_list": ((1, 2, 3), ("a", 1), (float("nan"), 0), None)},
    {"edit_list": [[True, False]]}, {"created_utc": "2022-11-18T01:30:00Z"},
    {"created_utc": datetime(2022, 11, 18, 1, 30)},  # naive: not a usable UTC time
    {"gps_latitude": "37.5", "make": 12345, "xmp": "<x:xmpmeta/>"},
    {"created_local": datetime(2022, 11, 18, 10, 30)},
])
def test_odd_values_do_not_crash(changes: dict[str, Any]) -> None:
    found = video_findings(clip(**changes), now=NOW)
    assert all(isinstance(f, Finding) for f in found)


def test_findings_frame_like_photos() -> None:
    changes, _ = TRIGGERS["video_reencoded"]
    frame = Findings(video_findings(clip(**changes), now=NOW)).to_frame()
    assert list(frame["code"]) == ["video_reencoded"]
    assert '"encoder": "Lavf58.76.100"' in frame["evidence"][0]


# --- a real FFmpeg file --------------------------------------------------------------------------


def test_a_clip_written_by_ffmpeg(tmp_path: Any) -> None:
    """The tags PyAV's FFmpeg writes (encoder Lavf..., handler VideoHandler, creation time 0)
    read the way the rules expect (values taken from the file, not typed in)."""
    import av

    from osint_kit.testing.videos import make_clip

    path = make_clip(tmp_path / "c.mp4", seconds=1, audio=True)
    with av.open(str(path)) as container:
        encoder = container.metadata.get("encoder")
        handlers = tuple(s.metadata.get("handler_name") for s in container.streams)
    assert encoder and encoder.startswith("Lavf")
    record = clip(path=str(path), make=None, model=None, encoder=encoder, handlers=handlers,
                  software=None, created_utc=None, created_local=None, created_raw=0,
                  gps_latitude=None, gps_longitude=None)
    found = {f.code: f for f in video_findings(record, now=NOW)}
    assert set(found) == {"video_software_encoded", "video_metadata_stripped",
                          "video_created_zero"}
    assert "VideoHandler" in found["video_software_encoded"].evidence["handler names"]
