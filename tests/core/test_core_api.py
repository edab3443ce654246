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
        "import sys, osint_kit.media.forensics.inspect, osint_kit.media.forensics.daylight, osint_kit.geo; "
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


#: The curated public API, pinned: adding or removing a name in ``osint_kit/__init__.py``
#: must update this list too (and the docs that present it).
PUBLIC_API = [
    "ArchiveError", "ArchiveIntegrityError", "ArchiveLimitError", "ArchiveLimits",
    "ArchivePathError", "COLUMN_DOCS", "CREDIBILITY", "Capture", "Case", "CaseError",
    "CaseExistsError", "CaseNotFoundError", "Claim", "CorruptImageError", "CustodyHead",
    "DateError", "EVENT_COLUMNS", "EmptyFileError", "EngineError", "Event", "EvidenceError",
    "FINDING_COLUMNS", "Finding", "Findings", "GeoError", "HashFormatError", "ImageMetadata",
    "ImageTooLargeError", "IngestError", "IntegrityError", "MissingReferenceError",
    "NetworkDisabledError", "NotAFileError", "OsintKitError", "Place", "Precision",
    "ProcessingTimeoutError", "Proposition", "RELIABILITY", "SCAN_COLUMNS", "Source",
    "SourceError", "SourceSet", "TelegramExport", "Timeline", "TimelineError",
    "UnparseableDateError", "UnreadableFileError", "UnsafeArchiveError", "UnsupportedFormatError",
    "VerifyReport", "VideoInfo", "WebArchive", "When", "WorkerCrashedError", "WorkshopError",
    "__version__", "add_to_case", "archive_events", "assess", "assessment_table", "bearing",
    "build_case", "build_student", "c2pa_info", "check", "check_daylight", "check_wacz",
    "chronolocate", "circle", "citation_graph", "compare_thumbnail", "confirm", "cross_reference",
    "crypto_hashes", "destination", "distance", "ela", "events_from_records", "expected_shadow",
    "extract_thumbnail", "filter_events", "find_conflicts", "find_copies", "find_examples",
    "human_duration", "independence_table", "independent_origins", "ingest_html", "ingest_text",
    "ingest_warc", "inspect", "inspect_scan", "interactive_map", "iter_telegram", "jpeg_quality",
    "list_pages", "load_example_case", "load_places", "matrix_html", "mean_luminance",
    "merge_exports", "near_duplicates", "noise_view", "parse_when", "perceptual_hashes",
    "plot_gps", "plot_independence", "plot_places", "plot_shadow_finder", "plot_timeline",
    "propose_claims", "proposition_confidence", "read_metadata", "read_scan_parquet",
    "read_telegram", "read_warc", "read_ytdlp_info", "scan", "scan_to_parquet", "shadow",
    "shadow_finder", "sun_frame", "sun_position", "sun_times", "text_reuse", "thumbnail_vs_image",
    "timeline_explorer", "to_geojson", "to_kml", "translation_artefacts", "weak_spots", "within",
    "VideoMetadata", "contact_sheet", "crop_image", "frame_matches", "frames_table", "keyframes",
    "near_duplicate_videos", "search_links", "video_findings", "video_fingerprints",
]


def test_public_api_is_pinned() -> None:
    added = sorted(set(osint_kit.__all__) - set(PUBLIC_API))
    removed = sorted(set(PUBLIC_API) - set(osint_kit.__all__))
    assert (added, removed) == ([], []), "update PUBLIC_API in this test with the change"
    assert len(PUBLIC_API) == len(set(PUBLIC_API))


def test_type_checking_imports_match_the_lazy_table() -> None:
    """``osint_kit/__init__.py`` names each public name in the lazy table (name -> module)
    and again under ``if TYPE_CHECKING`` for IDEs: the two must agree, name and module."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(osint_kit.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    typed = {alias.name: node.module for node in block.body
             if isinstance(node, ast.ImportFrom) for alias in node.names}
    lazy = dict(osint_kit._EXPORTS)
    assert typed == lazy
