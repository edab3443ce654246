"""`osint-kit geo sun|distance` print one JSON object."""

from __future__ import annotations

import json

import pytest

from osint_kit.cli import main


def test_geo_sun(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "sun", "42.4214", "130.6081", "2022-11-18T10:30+09:00"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sun_elevation"] == pytest.approx(24.8, abs=0.1)
    assert out["shadow_azimuth"] == pytest.approx(336, abs=0.5)


def test_geo_distance(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "distance", "42.4214", "130.6081", "42.42833", "130.64556"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["distance_m"] == pytest.approx(3177.5, abs=1)


def test_geo_sun_naive_time_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "sun", "42.4214", "130.6081", "2022-11-18T10:30"]) == 2
    assert "no UTC offset" in capsys.readouterr().err
