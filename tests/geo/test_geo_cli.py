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


def test_geo_chronolocate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "chronolocate", "42.4214", "130.6081", "2022-11-18",
                 "--shadow-azimuth", "336", "--tz", "Asia/Vladivostok"]) == 0
    windows = json.loads(capsys.readouterr().out)
    assert len(windows) == 1 and windows[0]["start"].startswith("2022-11-18T11:")


def test_errors_name_cli_options_not_python_arguments(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "chronolocate", "42.4", "130.6", "2022-11-18", "--shadow-azimuth",
                 "336", "--azimuth-tol", "500"]) == 2
    err = capsys.readouterr().err
    assert "--azimuth-tol must be in (0, 180]" in err and "azimuth_tol" not in err
    assert main(["geo", "chronolocate", "42.4", "130.6", "2022-11-18", "--shadow-azimuth",
                 "336", "--length-ratio", "-1"]) == 2
    assert "--length-ratio must be a positive number" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import osint_kit

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"osint-kit {osint_kit.__version__}"
