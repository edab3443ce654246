"""Events from scan records through the declarative timeliner map."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from osint_kit.errors import TimelineError
from osint_kit.timeline import events_from_records
from osint_kit.timeline.derive import load_mapping

UTC = dt.UTC


def scan_rows() -> pd.DataFrame:
    """Scan-like rows with known truth (column names as in osint_kit.media.read.schema)."""
    return pd.DataFrame([
        {   # naive local time, offset unknown -> widened
            "path": "/ev/a.jpg", "file_name": "a.jpg", "sha256": "aaa",
            "datetime_original": "2022-11-18T10:30:00", "offset_original": None,
            "subsec_original": "25", "datetime_modified": "2022-11-18T10:30:00",
            "offset_modified": "+05:30", "gps_timestamp": dt.datetime(2022, 11, 18, 5, 0, 7,
                                                                     tzinfo=UTC),
            "gps_latitude": 42.3, "gps_longitude": 130.6, "error": None,
            "iptc_date_created": "20221118 103000+0530", "xmp_create_date": None,
        },
        {   # offset in the value
            "path": "/ev/b.jpg", "file_name": "b.jpg", "sha256": "bbb",
            "datetime_original": "2023-01-20T23:30:00+01:00", "offset_original": "+01:00",
            "subsec_original": None, "datetime_modified": None, "offset_modified": None,
            "gps_timestamp": None, "gps_latitude": None, "gps_longitude": None, "error": None,
            "iptc_date_created": "20230120", "xmp_create_date": "2023-01-21T09:00:00Z",
        },
        {   # unreadable file: skipped
            "path": "/ev/c.jpg", "file_name": "c.jpg", "sha256": None,
            "datetime_original": "2023-01-20T23:30:00", "error": "truncated",
        },
        {   # garbage timestamp: skipped leniently
            "path": "/ev/d.jpg", "file_name": "d.jpg", "sha256": "ddd",
            "datetime_original": "0000:00:00 00:00:00", "error": None,
        },
    ])


def test_default_map_turns_columns_into_events() -> None:
    tl = events_from_records(scan_rows())
    df = tl.df.set_index("event_id")
    assert set(df.index) == {"aaa:datetime_original", "aaa:datetime_modified",
                             "aaa:gps_timestamp", "aaa:iptc_date_created",
                             "bbb:datetime_original", "bbb:iptc_date_created",
                             "bbb:xmp_create_date"}
    taken = df.loc["aaa:datetime_original"]
    assert taken["label"] == "photo taken: a.jpg"
    assert taken["description"] == "photo taken" and taken["kind"] == "recorded"
    # 10:30 local with unknown offset: 10:30-14h .. 10:30:01+12h (UTC)
    assert taken["earliest"] == pd.Timestamp("2022-11-17T20:30:00", tz="UTC")
    assert taken["latest"] == pd.Timestamp("2022-11-18T22:30:00.999999", tz="UTC")
    assert taken["tz"] == "unknown"
    assert "unknown UTC offset" in taken["when_provenance"]
    assert "-12" in taken["when_provenance"] and "+14" in taken["when_provenance"]
    modified = df.loc["aaa:datetime_modified"]
    assert modified["earliest"] == pd.Timestamp("2022-11-18T05:00:00", tz="UTC")
    assert modified["tz"] == "+05:30" and "offset column" in modified["when_provenance"]
    gps = df.loc["aaa:gps_timestamp"]
    assert gps["earliest"] == pd.Timestamp("2022-11-18T05:00:07", tz="UTC")
    assert gps["description"] == "GPS fix" and gps["place"] == "42.3,130.6"
    iptc = df.loc["aaa:iptc_date_created"]
    assert iptc["earliest"] == pd.Timestamp("2022-11-18T05:00:00", tz="UTC")
    assert df.loc["bbb:iptc_date_created", "precision"] == "day"
    night = df.loc["bbb:datetime_original"]
    assert night["earliest"] == pd.Timestamp("2023-01-20T22:30:00", tz="UTC")
    assert df.loc["bbb:xmp_create_date", "earliest"] == pd.Timestamp("2023-01-21T09:00",
                                                                      tz="UTC")
    assert (tl.df["source_ids"].isin(["/ev/a.jpg", "/ev/b.jpg"])).all()


def test_strict_mode_raises() -> None:
    with pytest.raises(TimelineError, match="row 3"):
        events_from_records(scan_rows(), errors="raise")


def test_custom_map_without_code_changes(tmp_path: Path) -> None:
    mapping = {"uploads": {"label": "{title} ({description})", "event_id": "{id}:{timestamp}",
                           "source": "{site}", "kind": "published",
                           "timestamps": [{"column": "posted", "description": "posted",
                                           "assume_tz": "Europe/Warsaw"}]}}
    df = pd.DataFrame([{"id": "p1", "title": "<b>Video</b>", "site": "tg",
                        "posted": "2023-01-20T12:00"}])
    tl = events_from_records(df, mapping, record_type="uploads")
    row = tl.df.iloc[0]
    assert row["label"] == "<b>Video</b> (posted)" and row["kind"] == "published"
    assert row["earliest"] == pd.Timestamp("2023-01-20T11:00", tz="UTC")
    path = tmp_path / "map.yaml"
    import yaml

    path.write_text(yaml.safe_dump(mapping), encoding="utf-8")
    assert len(events_from_records(df, path, record_type="uploads")) == 1
    with pytest.raises(TimelineError, match="record type"):
        events_from_records(df, mapping, record_type="nope")


def test_templates_have_no_attribute_access() -> None:
    mapping = {"x": {"label": "{posted.__class__}", "timestamps": [{"column": "posted"}]}}
    df = pd.DataFrame([{"posted": "2023-01-20T12:00Z"}])
    assert events_from_records(df, mapping, record_type="x").df.iloc[0]["label"] == \
        "{posted.__class__}"


def test_bundled_map_lists_scan_columns() -> None:
    mapping = load_mapping()
    columns = {t["column"] for t in mapping["image_scan"]["timestamps"]}
    assert {"datetime_original", "datetime_modified", "gps_timestamp",
            "xmp_metadata_date"} <= columns
    from osint_kit.media.read.schema import SCAN_COLUMNS

    assert columns <= set(SCAN_COLUMNS)


def test_real_camera_records(camera_samples: Path) -> None:
    from osint_kit.errors import EvidenceError
    from osint_kit.media.read.metadata import read_metadata

    rows = []
    for path in sorted(camera_samples.rglob("*.jpg"))[:25]:
        try:
            rows.append(read_metadata(path).to_record())
        except EvidenceError:
            continue
    tl = events_from_records(pd.DataFrame(rows))
    df = tl.df
    assert len(df) > 0
    assert (df["earliest"] <= df["latest"]).all()
    naive = df[df["tz"] == "unknown"]
    assert (naive["latest"] - naive["earliest"] >= pd.Timedelta(hours=26)).all()
