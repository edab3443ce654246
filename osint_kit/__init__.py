"""osint_kit: open-source intelligence helpers for JupyterLab.

``import osint_kit as ok`` and find everything with ``ok.<TAB>``. Names are imported lazily
on first use, so ``import osint_kit`` stays fast and heavy libraries (matplotlib, ipywidgets,
dask, c2pa) load only when a function needs them.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

from osint_kit import _moved

_moved.install()  # old module paths (osint_kit.images.*) keep working for one release

__version__ = "0.1.0"

#: The curated public API (``ok.<TAB>``), by stage of the data flow. Written out once, on
#: purpose: tests/core/test_core_api.py pins this list, checks that the lazy table below and
#: the ``TYPE_CHECKING`` imports name exactly these names, and that each resolves.
__all__ = [  # noqa: RUF022 - grouped by stage (as in the README), sorted in each group
    # read: one file's metadata (osint_kit.media.read)
    "COLUMN_DOCS",
    "ImageMetadata",
    "SCAN_COLUMNS",
    "VideoMetadata",
    "frames_table",
    "keyframes",
    "read_metadata",
    # scan: folders into DataFrames (osint_kit.media.scan)
    "read_scan_parquet",
    "scan",
    "scan_to_parquet",
    # similar: hashes and near-duplicates (osint_kit.media.similar)
    "crop_image",
    "crypto_hashes",
    "find_copies",
    "frame_matches",
    "near_duplicate_videos",
    "near_duplicates",
    "perceptual_hashes",
    "search_links",
    "video_fingerprints",
    # forensics: findings and views (osint_kit.media.forensics)
    "FINDING_COLUMNS",
    "Finding",
    "Findings",
    "c2pa_info",
    "check_daylight",
    "compare_thumbnail",
    "ela",
    "extract_thumbnail",
    "inspect",
    "inspect_scan",
    "jpeg_quality",
    "noise_view",
    "video_findings",
    # capture: pages, web archives, channel exports (osint_kit.sources.capture)
    "ArchiveLimits",
    "Capture",
    "TelegramExport",
    "VideoInfo",
    "WebArchive",
    "add_to_case",
    "archive_events",
    "check_wacz",
    "ingest_html",
    "ingest_text",
    "ingest_warc",
    "iter_telegram",
    "list_pages",
    "merge_exports",
    "read_telegram",
    "read_warc",
    "read_ytdlp_info",
    # sources: claims, cross-reference, independence, assessment (osint_kit.sources)
    "CREDIBILITY",
    "RELIABILITY",
    "Claim",
    "Proposition",
    "Source",
    "SourceSet",
    "assess",
    "assessment_table",
    "citation_graph",
    "confirm",
    "cross_reference",
    "independence_table",
    "independent_origins",
    "propose_claims",
    "proposition_confidence",
    "text_reuse",
    "translation_artefacts",
    "weak_spots",
    # timeline: uncertain dates, events, conflicts (osint_kit.timeline)
    "EVENT_COLUMNS",
    "Event",
    "Precision",
    "Timeline",
    "When",
    "events_from_records",
    "filter_events",
    "find_conflicts",
    "parse_when",
    # geo: places, geodesics, sun and shadows, exports (osint_kit.geo)
    "Place",
    "bearing",
    "chronolocate",
    "circle",
    "destination",
    "distance",
    "expected_shadow",
    "load_places",
    "shadow",
    "shadow_finder",
    "sun_frame",
    "sun_position",
    "sun_times",
    "to_geojson",
    "to_kml",
    "within",
    # case: the case folder, evidence store, custody log (osint_kit.case)
    "Case",
    "CustodyHead",
    "VerifyReport",
    # display: figures, tables and widgets (osint_kit.display)
    "contact_sheet",
    "interactive_map",
    "matrix_html",
    "plot_gps",
    "plot_independence",
    "plot_places",
    "plot_shadow_finder",
    "plot_timeline",
    "thumbnail_vs_image",
    "timeline_explorer",
    # workshop: the notebooks' self-checks (osint_kit.workshop)
    "check",
    # errors: the exception tree (osint_kit.errors)
    "ArchiveError",
    "ArchiveIntegrityError",
    "ArchiveLimitError",
    "ArchivePathError",
    "CaseError",
    "CaseExistsError",
    "CaseNotFoundError",
    "CorruptImageError",
    "DateError",
    "EmptyFileError",
    "EngineError",
    "EvidenceError",
    "GeoError",
    "HashFormatError",
    "ImageTooLargeError",
    "IngestError",
    "IntegrityError",
    "MissingReferenceError",
    "NetworkDisabledError",
    "NotAFileError",
    "OsintKitError",
    "ProcessingTimeoutError",
    "SourceError",
    "TimelineError",
    "UnparseableDateError",
    "UnreadableFileError",
    "UnsafeArchiveError",
    "UnsupportedFormatError",
    "WorkerCrashedError",
    "WorkshopError",
    # the package
    "__version__",
]

# public name -> module that defines it (imported on first use, see __getattr__)
_EXPORTS: dict[str, str] = {
    # read
    "frames_table": "osint_kit.media.frames",
    "keyframes": "osint_kit.media.frames",
    "VideoMetadata": "osint_kit.media.read.video",
    "COLUMN_DOCS": "osint_kit.media.read.schema",
    "SCAN_COLUMNS": "osint_kit.media.read.schema",
    "ImageMetadata": "osint_kit.media.read.metadata",
    "read_metadata": "osint_kit.media.read.metadata",
    # scan
    "read_scan_parquet": "osint_kit.media.scan",
    "scan": "osint_kit.media.scan",
    "scan_to_parquet": "osint_kit.media.scan",
    # similar
    "crop_image": "osint_kit.media.similar.reverse",
    "search_links": "osint_kit.media.similar.reverse",
    "frame_matches": "osint_kit.media.similar.video",
    "near_duplicate_videos": "osint_kit.media.similar.video",
    "video_fingerprints": "osint_kit.media.similar.video",
    "crypto_hashes": "osint_kit.media.similar.hashes",
    "find_copies": "osint_kit.media.similar.duplicates",
    "near_duplicates": "osint_kit.media.similar.duplicates",
    "perceptual_hashes": "osint_kit.media.similar.hashes",
    # forensics
    "video_findings": "osint_kit.media.forensics.video_rules",
    "FINDING_COLUMNS": "osint_kit.media.forensics.inspect",
    "Finding": "osint_kit.media.forensics.inspect",
    "Findings": "osint_kit.media.forensics.inspect",
    "c2pa_info": "osint_kit.media.forensics.c2pa",
    "check_daylight": "osint_kit.media.forensics.daylight",
    "compare_thumbnail": "osint_kit.media.forensics.thumbnail",
    "ela": "osint_kit.media.forensics.views",
    "extract_thumbnail": "osint_kit.media.forensics.thumbnail",
    "inspect": "osint_kit.media.forensics.inspect",
    "inspect_scan": "osint_kit.media.forensics.inspect",
    "jpeg_quality": "osint_kit.media.forensics.quality",
    "noise_view": "osint_kit.media.forensics.views",
    # capture
    "ArchiveLimits": "osint_kit.sources.capture.archives",
    "Capture": "osint_kit.sources",
    "TelegramExport": "osint_kit.sources.capture.archives",
    "VideoInfo": "osint_kit.sources.capture.archives",
    "WebArchive": "osint_kit.sources.capture.archives",
    "add_to_case": "osint_kit.sources.capture.archives",
    "archive_events": "osint_kit.sources.capture.archives",
    "check_wacz": "osint_kit.sources.capture.archives",
    "ingest_html": "osint_kit.sources",
    "ingest_text": "osint_kit.sources",
    "ingest_warc": "osint_kit.sources.capture.archives",
    "iter_telegram": "osint_kit.sources.capture.archives",
    "list_pages": "osint_kit.sources.capture.archives",
    "merge_exports": "osint_kit.sources.capture.archives",
    "read_telegram": "osint_kit.sources.capture.archives",
    "read_warc": "osint_kit.sources.capture.archives",
    "read_ytdlp_info": "osint_kit.sources.capture.archives",
    # sources
    "CREDIBILITY": "osint_kit.sources",
    "RELIABILITY": "osint_kit.sources",
    "Claim": "osint_kit.sources",
    "Proposition": "osint_kit.sources",
    "Source": "osint_kit.sources",
    "SourceSet": "osint_kit.sources",
    "assess": "osint_kit.sources",
    "assessment_table": "osint_kit.sources",
    "citation_graph": "osint_kit.sources",
    "confirm": "osint_kit.sources",
    "cross_reference": "osint_kit.sources",
    "independence_table": "osint_kit.sources",
    "independent_origins": "osint_kit.sources",
    "propose_claims": "osint_kit.sources",
    "proposition_confidence": "osint_kit.sources",
    "text_reuse": "osint_kit.sources",
    "translation_artefacts": "osint_kit.sources",
    "weak_spots": "osint_kit.sources",
    # timeline
    "EVENT_COLUMNS": "osint_kit.timeline",
    "Event": "osint_kit.timeline",
    "Precision": "osint_kit.timeline",
    "Timeline": "osint_kit.timeline",
    "When": "osint_kit.timeline",
    "events_from_records": "osint_kit.timeline",
    "filter_events": "osint_kit.timeline",
    "find_conflicts": "osint_kit.timeline",
    "parse_when": "osint_kit.timeline",
    # geo
    "Place": "osint_kit.geo",
    "bearing": "osint_kit.geo",
    "chronolocate": "osint_kit.geo",
    "circle": "osint_kit.geo",
    "destination": "osint_kit.geo",
    "distance": "osint_kit.geo",
    "expected_shadow": "osint_kit.geo",
    "load_places": "osint_kit.geo",
    "shadow": "osint_kit.geo",
    "shadow_finder": "osint_kit.geo",
    "sun_frame": "osint_kit.geo",
    "sun_position": "osint_kit.geo",
    "sun_times": "osint_kit.geo",
    "to_geojson": "osint_kit.geo",
    "to_kml": "osint_kit.geo",
    "within": "osint_kit.geo",
    # case
    "Case": "osint_kit.case",
    "CustodyHead": "osint_kit.case",
    "VerifyReport": "osint_kit.case",
    # display
    "contact_sheet": "osint_kit.display.contact_sheet",
    "interactive_map": "osint_kit.display.maps",
    "matrix_html": "osint_kit.display.sources",
    "plot_gps": "osint_kit.display.gps",
    "plot_independence": "osint_kit.display.sources",
    "plot_places": "osint_kit.display.maps",
    "plot_shadow_finder": "osint_kit.display.maps",
    "plot_timeline": "osint_kit.display.timeline",
    "thumbnail_vs_image": "osint_kit.display.media",
    "timeline_explorer": "osint_kit.display.timeline",
    # workshop
    "check": "osint_kit.workshop.checks",
    # errors
    "ArchiveError": "osint_kit.errors",
    "ArchiveIntegrityError": "osint_kit.errors",
    "ArchiveLimitError": "osint_kit.errors",
    "ArchivePathError": "osint_kit.errors",
    "CaseError": "osint_kit.errors",
    "CaseExistsError": "osint_kit.errors",
    "CaseNotFoundError": "osint_kit.errors",
    "CorruptImageError": "osint_kit.errors",
    "DateError": "osint_kit.errors",
    "EmptyFileError": "osint_kit.errors",
    "EngineError": "osint_kit.errors",
    "EvidenceError": "osint_kit.errors",
    "GeoError": "osint_kit.errors",
    "HashFormatError": "osint_kit.errors",
    "ImageTooLargeError": "osint_kit.errors",
    "IngestError": "osint_kit.errors",
    "IntegrityError": "osint_kit.errors",
    "MissingReferenceError": "osint_kit.errors",
    "NetworkDisabledError": "osint_kit.errors",
    "NotAFileError": "osint_kit.errors",
    "OsintKitError": "osint_kit.errors",
    "ProcessingTimeoutError": "osint_kit.errors",
    "SourceError": "osint_kit.errors",
    "TimelineError": "osint_kit.errors",
    "UnparseableDateError": "osint_kit.errors",
    "UnreadableFileError": "osint_kit.errors",
    "UnsafeArchiveError": "osint_kit.errors",
    "UnsupportedFormatError": "osint_kit.errors",
    "WorkerCrashedError": "osint_kit.errors",
    "WorkshopError": "osint_kit.errors",
}

#: Names that left ``ok.*`` (not analysis API: teaching material, formatting and low-level
#: helpers): still resolve for one release, with a DeprecationWarning naming the module.
_DEPRECATED: dict[str, str] = {
    "build_case": "osint_kit.workshop.casefiles",
    "build_student": "osint_kit.workshop.build",
    "find_examples": "osint_kit.workshop.casefiles",
    "human_duration": "osint_kit.display.text",
    "load_example_case": "osint_kit.workshop.casefiles",
    "mean_luminance": "osint_kit.media.forensics.daylight",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        old = _DEPRECATED.get(name)
        if old is None:
            raise AttributeError(f"module 'osint_kit' has no attribute {name!r}")
        warnings.warn(
            f"ok.{name} left the public API; use 'from {old} import {name}' (the alias "
            "goes in the next release)",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(old), name)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from osint_kit.case import (
        Case,
        CustodyHead,
        VerifyReport,
    )
    from osint_kit.display.contact_sheet import contact_sheet
    from osint_kit.display.gps import (
        plot_gps,
    )
    from osint_kit.display.maps import (
        interactive_map,
        plot_places,
        plot_shadow_finder,
    )
    from osint_kit.display.media import thumbnail_vs_image
    from osint_kit.display.sources import (
        matrix_html,
        plot_independence,
    )
    from osint_kit.display.timeline import (
        plot_timeline,
        timeline_explorer,
    )
    from osint_kit.errors import (
        ArchiveError,
        ArchiveIntegrityError,
        ArchiveLimitError,
        ArchivePathError,
        CaseError,
        CaseExistsError,
        CaseNotFoundError,
        CorruptImageError,
        DateError,
        EmptyFileError,
        EngineError,
        EvidenceError,
        GeoError,
        HashFormatError,
        ImageTooLargeError,
        IngestError,
        IntegrityError,
        MissingReferenceError,
        NetworkDisabledError,
        NotAFileError,
        OsintKitError,
        ProcessingTimeoutError,
        SourceError,
        TimelineError,
        UnparseableDateError,
        UnreadableFileError,
        UnsafeArchiveError,
        UnsupportedFormatError,
        WorkerCrashedError,
        WorkshopError,
    )
    from osint_kit.geo import (
        Place,
        bearing,
        chronolocate,
        circle,
        destination,
        distance,
        expected_shadow,
        load_places,
        shadow,
        shadow_finder,
        sun_frame,
        sun_position,
        sun_times,
        to_geojson,
        to_kml,
        within,
    )
    from osint_kit.media.forensics.c2pa import (
        c2pa_info,
    )
    from osint_kit.media.forensics.daylight import (
        check_daylight,
    )
    from osint_kit.media.forensics.inspect import (
        FINDING_COLUMNS,
        Finding,
        Findings,
        inspect,
        inspect_scan,
    )
    from osint_kit.media.forensics.quality import (
        jpeg_quality,
    )
    from osint_kit.media.forensics.thumbnail import (
        compare_thumbnail,
        extract_thumbnail,
    )
    from osint_kit.media.forensics.video_rules import video_findings
    from osint_kit.media.forensics.views import (
        ela,
        noise_view,
    )
    from osint_kit.media.frames import frames_table, keyframes
    from osint_kit.media.read.metadata import (
        ImageMetadata,
        read_metadata,
    )
    from osint_kit.media.read.schema import (
        COLUMN_DOCS,
        SCAN_COLUMNS,
    )
    from osint_kit.media.read.video import VideoMetadata
    from osint_kit.media.scan import (
        read_scan_parquet,
        scan,
        scan_to_parquet,
    )
    from osint_kit.media.similar.duplicates import (
        find_copies,
        near_duplicates,
    )
    from osint_kit.media.similar.hashes import (
        crypto_hashes,
        perceptual_hashes,
    )
    from osint_kit.media.similar.reverse import crop_image, search_links
    from osint_kit.media.similar.video import (
        frame_matches,
        near_duplicate_videos,
        video_fingerprints,
    )
    from osint_kit.sources import (
        CREDIBILITY,
        RELIABILITY,
        Capture,
        Claim,
        Proposition,
        Source,
        SourceSet,
        assess,
        assessment_table,
        citation_graph,
        confirm,
        cross_reference,
        independence_table,
        independent_origins,
        ingest_html,
        ingest_text,
        propose_claims,
        proposition_confidence,
        text_reuse,
        translation_artefacts,
        weak_spots,
    )
    from osint_kit.sources.capture.archives import (
        ArchiveLimits,
        TelegramExport,
        VideoInfo,
        WebArchive,
        add_to_case,
        archive_events,
        check_wacz,
        ingest_warc,
        iter_telegram,
        list_pages,
        merge_exports,
        read_telegram,
        read_warc,
        read_ytdlp_info,
    )
    from osint_kit.timeline import (
        EVENT_COLUMNS,
        Event,
        Precision,
        Timeline,
        When,
        events_from_records,
        filter_events,
        find_conflicts,
        parse_when,
    )
    from osint_kit.workshop.checks import (
        check,
    )
