"""The curated public API and import-time laziness."""

from __future__ import annotations

import json
import subprocess
import sys

import osint_kit


def test_all_names_resolve() -> None:
    for name in osint_kit.__all__:
        assert getattr(osint_kit, name) is not None, name


def test_dir_lists_public_api() -> None:
    assert set(dir(osint_kit)) == set(osint_kit.__all__)


def test_unknown_attribute_is_attribute_error() -> None:
    try:
        osint_kit.no_such_thing  # noqa: B018
    except AttributeError as err:
        assert "no_such_thing" in str(err)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_import_does_not_load_heavy_libraries() -> None:
    """`import osint_kit` must not pull matplotlib, ipywidgets, dask or c2pa (kept lazy)."""
    code = (
        "import sys, json, osint_kit; "
        "print(json.dumps(sorted(m for m in ('matplotlib','ipywidgets','dask','distributed',"
        "'c2pa','trafilatura','networkx','dateparser','pandas') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_reading_one_photo_does_not_load_pandas() -> None:
    """The modules an isolated ``inspect`` worker imports for one photo, the daylight check
    and osint_kit.geo included, leave pandas out (about half a second at the first call)."""
    code = (
        "import sys, osint_kit.images.findings, osint_kit.images.daylight, osint_kit.geo; "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_assessment_is_public() -> None:
    """The assessment is part of the curated API (issue 18): ``ok.assess``,
    ``ok.assessment_table``."""
    for name in ("assess", "assessment_table", "independence_table", "independent_origins"):
        assert name in osint_kit.__all__, name
    assert osint_kit.assess is osint_kit.sources.assess


def test_archive_importers_are_public() -> None:
    """Issue 24: the web-archive, Telegram and yt-dlp importers and their errors are in ok.*."""
    wanted = {"ingest_warc", "list_pages", "read_warc", "check_wacz", "read_telegram",
              "iter_telegram", "merge_exports", "read_ytdlp_info", "archive_events",
              "add_to_case", "WebArchive", "TelegramExport", "VideoInfo", "ArchiveLimits",
              "ArchiveError", "ArchiveLimitError", "ArchiveIntegrityError", "ArchivePathError"}
    assert wanted <= set(osint_kit.__all__)
    from osint_kit.errors import ArchiveError, IngestError

    assert issubclass(osint_kit.ArchivePathError, ArchiveError)
    assert issubclass(ArchiveError, IngestError)
