"""The curated public API and import-time laziness."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import osint_kit

INIT = ast.parse(Path(osint_kit.__file__).read_text(encoding="utf-8"))


def _literal_all() -> list[str]:
    """``__all__`` as written in ``osint_kit/__init__.py``: it must be one literal list."""
    [node] = [n for n in INIT.body if isinstance(n, ast.Assign)
              and [getattr(t, "id", None) for t in n.targets] == ["__all__"]]
    assert isinstance(node.value, ast.List), "__all__ must be written out as a literal list"
    names = [ast.literal_eval(elt) for elt in node.value.elts]
    assert all(isinstance(n, str) for n in names)
    return names


def _type_checking_imports() -> dict[str, str]:
    """name -> module of the imports under ``if TYPE_CHECKING:`` (what IDEs and mypy see)."""
    block = next(node for node in INIT.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    typed: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module, ast.dump(node)
        for alias in node.names:
            assert alias.name not in typed, f"{alias.name} imported twice"
            typed[alias.name] = node.module
    return typed


def test_all_is_one_literal_list_without_duplicates() -> None:
    written = _literal_all()
    assert written == osint_kit.__all__
    assert len(written) == len(set(written)), "a name is listed twice in __all__"


def test_all_names_resolve_to_their_module() -> None:
    """Every public name imports, and is the object its module in the lazy table defines."""
    for name in osint_kit.__all__:
        if name == "__version__":
            continue
        module = importlib.import_module(osint_kit._EXPORTS[name])
        assert getattr(osint_kit, name) is getattr(module, name), name


def test_all_the_lazy_table_and_type_checking_agree() -> None:
    """The three listings of the API (``__all__``, the lazy table, the ``TYPE_CHECKING``
    imports) name exactly the same names, and the last two the same module for each."""
    public = set(osint_kit.__all__) - {"__version__"}
    lazy = dict(osint_kit._EXPORTS)
    typed = _type_checking_imports()
    assert sorted(public - set(lazy)) == [], "in __all__ but not in _EXPORTS"
    assert sorted(set(lazy) - public) == [], "in _EXPORTS but not in __all__"
    assert typed == lazy


@pytest.mark.parametrize("name", sorted(osint_kit._DEPRECATED))
def test_names_that_left_the_api_warn_and_still_resolve(name: str) -> None:
    """Names that left ``ok.*`` keep working for one release, with a DeprecationWarning
    that names the module to import them from; they are not in ``__all__`` nor pinned."""
    assert name not in osint_kit.__all__ and name not in PUBLIC_API
    assert name not in osint_kit._EXPORTS
    module = osint_kit._DEPRECATED[name]
    with pytest.warns(DeprecationWarning, match=f"from {module} import {name}"):
        value = getattr(osint_kit, name)
    assert value is getattr(importlib.import_module(module), name)


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
    "VerifyReport", "VideoInfo", "VideoMetadata", "WebArchive", "When", "WorkerCrashedError",
    "WorkshopError", "__version__", "add_to_case", "archive_events", "assess", "assessment_table",
    "bearing", "c2pa_info", "check", "check_daylight", "check_wacz", "chronolocate", "circle",
    "citation_graph", "compare_thumbnail", "confirm", "contact_sheet", "crop_image",
    "cross_reference", "crypto_hashes", "destination", "distance", "ela", "events_from_records",
    "expected_shadow", "extract_thumbnail", "filter_events", "find_conflicts", "find_copies",
    "frame_matches", "frames_table", "independence_table", "independent_origins", "ingest_html",
    "ingest_text", "ingest_warc", "inspect", "inspect_scan", "interactive_map", "iter_telegram",
    "jpeg_quality", "keyframes", "list_pages", "load_places", "matrix_html", "merge_exports",
    "near_duplicate_videos", "near_duplicates", "noise_view", "parse_when", "perceptual_hashes",
    "plot_gps", "plot_independence", "plot_places", "plot_shadow_finder", "plot_timeline",
    "propose_claims", "proposition_confidence", "read_metadata", "read_scan_parquet",
    "read_telegram", "read_warc", "read_ytdlp_info", "scan", "scan_to_parquet", "search_links",
    "shadow", "shadow_finder", "sun_frame", "sun_position", "sun_times", "text_reuse",
    "thumbnail_vs_image", "timeline_explorer", "to_geojson", "to_kml", "translation_artefacts",
    "video_findings", "video_fingerprints", "weak_spots", "within",
]


def test_public_api_is_pinned() -> None:
    """Adding or removing a public name means editing ``__all__`` and this list, on purpose."""
    added = sorted(set(osint_kit.__all__) - set(PUBLIC_API))
    removed = sorted(set(PUBLIC_API) - set(osint_kit.__all__))
    assert (added, removed) == ([], []), "update PUBLIC_API in this test with the change"
    assert len(PUBLIC_API) == len(set(PUBLIC_API))
