"""osint_kit: open-source intelligence helpers for JupyterLab.

``import osint_kit as ok`` and find everything with ``ok.<TAB>``. Names are imported lazily
on first use, so ``import osint_kit`` stays fast and heavy libraries (matplotlib, ipywidgets,
dask, c2pa) load only when a function needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from osint_kit import _moved

_moved.install()  # old module paths (osint_kit.images.*) keep working for one release

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # osint_kit.media.read.metadata
    "read_metadata": "osint_kit.media.read.metadata",
    "ImageMetadata": "osint_kit.media.read.metadata",
    # osint_kit.media.read.schema
    "SCAN_COLUMNS": "osint_kit.media.read.schema",
    "COLUMN_DOCS": "osint_kit.media.read.schema",
    # osint_kit.media.scan
    "scan": "osint_kit.media.scan",
    "scan_to_parquet": "osint_kit.media.scan",
    "read_scan_parquet": "osint_kit.media.scan",
    # osint_kit.media.forensics.inspect
    "inspect": "osint_kit.media.forensics.inspect",
    "inspect_scan": "osint_kit.media.forensics.inspect",
    "FINDING_COLUMNS": "osint_kit.media.forensics.inspect",
    "Finding": "osint_kit.media.forensics.inspect",
    "Findings": "osint_kit.media.forensics.inspect",
    # osint_kit.media.forensics.views
    "ela": "osint_kit.media.forensics.views",
    "noise_view": "osint_kit.media.forensics.views",
    "thumbnail_vs_image": "osint_kit.display.media",
    # osint_kit.media.similar.hashes
    "perceptual_hashes": "osint_kit.media.similar.hashes",
    "crypto_hashes": "osint_kit.media.similar.hashes",
    # osint_kit.media.similar.duplicates
    "near_duplicates": "osint_kit.media.similar.duplicates",
    "find_copies": "osint_kit.media.similar.duplicates",
    # osint_kit.media.forensics.quality
    "jpeg_quality": "osint_kit.media.forensics.quality",
    # osint_kit.media.forensics.thumbnail
    "compare_thumbnail": "osint_kit.media.forensics.thumbnail",
    "extract_thumbnail": "osint_kit.media.forensics.thumbnail",
    # osint_kit.media.forensics.c2pa
    "c2pa_info": "osint_kit.media.forensics.c2pa",
    # osint_kit.media.forensics.daylight
    "check_daylight": "osint_kit.media.forensics.daylight",
    "mean_luminance": "osint_kit.media.forensics.daylight",
    # osint_kit.media.read.video
    "VideoMetadata": "osint_kit.media.read.video",
    # osint_kit.media.frames
    "keyframes": "osint_kit.media.frames",
    "frames_table": "osint_kit.media.frames",
    # osint_kit.media.similar.video
    "video_fingerprints": "osint_kit.media.similar.video",
    "near_duplicate_videos": "osint_kit.media.similar.video",
    "frame_matches": "osint_kit.media.similar.video",
    # osint_kit.display.contact_sheet
    "contact_sheet": "osint_kit.display.contact_sheet",
    # osint_kit.media.forensics.video_rules
    "video_findings": "osint_kit.media.forensics.video_rules",
    # osint_kit.media.similar.reverse
    "search_links": "osint_kit.media.similar.reverse",
    "crop_image": "osint_kit.media.similar.reverse",
    # osint_kit.timeline
    "When": "osint_kit.timeline",
    "Precision": "osint_kit.timeline",
    "parse_when": "osint_kit.timeline",
    "Event": "osint_kit.timeline",
    "Timeline": "osint_kit.timeline",
    "EVENT_COLUMNS": "osint_kit.timeline",
    "events_from_records": "osint_kit.timeline",
    "filter_events": "osint_kit.timeline",
    "find_conflicts": "osint_kit.timeline",
    # osint_kit.sources
    "Source": "osint_kit.sources",
    "Claim": "osint_kit.sources",
    "Proposition": "osint_kit.sources",
    "Capture": "osint_kit.sources",
    "SourceSet": "osint_kit.sources",
    "ingest_text": "osint_kit.sources",
    "ingest_html": "osint_kit.sources",
    "propose_claims": "osint_kit.sources",
    "confirm": "osint_kit.sources",
    "cross_reference": "osint_kit.sources",
    "independent_origins": "osint_kit.sources",
    "proposition_confidence": "osint_kit.sources",
    "independence_table": "osint_kit.sources",
    "assess": "osint_kit.sources",
    "assessment_table": "osint_kit.sources",
    "citation_graph": "osint_kit.sources",
    "text_reuse": "osint_kit.sources",
    "weak_spots": "osint_kit.sources",
    "translation_artefacts": "osint_kit.sources",
    "RELIABILITY": "osint_kit.sources",
    "CREDIBILITY": "osint_kit.sources",
    # osint_kit.sources.capture.archives
    "ingest_warc": "osint_kit.sources.capture.archives",
    "list_pages": "osint_kit.sources.capture.archives",
    "read_warc": "osint_kit.sources.capture.archives",
    "check_wacz": "osint_kit.sources.capture.archives",
    "read_telegram": "osint_kit.sources.capture.archives",
    "iter_telegram": "osint_kit.sources.capture.archives",
    "merge_exports": "osint_kit.sources.capture.archives",
    "read_ytdlp_info": "osint_kit.sources.capture.archives",
    "archive_events": "osint_kit.sources.capture.archives",
    "add_to_case": "osint_kit.sources.capture.archives",
    "WebArchive": "osint_kit.sources.capture.archives",
    "TelegramExport": "osint_kit.sources.capture.archives",
    "VideoInfo": "osint_kit.sources.capture.archives",
    "ArchiveLimits": "osint_kit.sources.capture.archives",
    # osint_kit.geo
    "Place": "osint_kit.geo",
    "load_places": "osint_kit.geo",
    "distance": "osint_kit.geo",
    "bearing": "osint_kit.geo",
    "destination": "osint_kit.geo",
    "within": "osint_kit.geo",
    "circle": "osint_kit.geo",
    "sun_position": "osint_kit.geo",
    "sun_times": "osint_kit.geo",
    "sun_frame": "osint_kit.geo",
    "shadow": "osint_kit.geo",
    "chronolocate": "osint_kit.geo",
    "expected_shadow": "osint_kit.geo",
    "shadow_finder": "osint_kit.geo",
    "to_geojson": "osint_kit.geo",
    "to_kml": "osint_kit.geo",
    # osint_kit.case
    "Case": "osint_kit.case",
    "CustodyHead": "osint_kit.case",
    "VerifyReport": "osint_kit.case",
    # osint_kit.display.gps
    "plot_gps": "osint_kit.display.gps",
    # osint_kit.display.maps
    "plot_places": "osint_kit.display.maps",
    "plot_shadow_finder": "osint_kit.display.maps",
    "interactive_map": "osint_kit.display.maps",
    # osint_kit.display.sources
    "matrix_html": "osint_kit.display.sources",
    "plot_independence": "osint_kit.display.sources",
    # osint_kit.display.text
    "human_duration": "osint_kit.display.text",
    # osint_kit.display.timeline
    "plot_timeline": "osint_kit.display.timeline",
    "timeline_explorer": "osint_kit.display.timeline",
    # osint_kit.workshop.checks
    "check": "osint_kit.workshop.checks",
    # osint_kit.workshop.build
    "build_student": "osint_kit.workshop.build",
    "load_example_case": "osint_kit.workshop.casefiles",
    "build_case": "osint_kit.workshop.casefiles",
    "find_examples": "osint_kit.workshop.casefiles",
    # osint_kit.errors
    "OsintKitError": "osint_kit.errors",
    "HashFormatError": "osint_kit.errors",
    "EvidenceError": "osint_kit.errors",
    "NotAFileError": "osint_kit.errors",
    "UnreadableFileError": "osint_kit.errors",
    "EmptyFileError": "osint_kit.errors",
    "UnsupportedFormatError": "osint_kit.errors",
    "CorruptImageError": "osint_kit.errors",
    "ImageTooLargeError": "osint_kit.errors",
    "ProcessingTimeoutError": "osint_kit.errors",
    "WorkerCrashedError": "osint_kit.errors",
    "EngineError": "osint_kit.errors",
    "DateError": "osint_kit.errors",
    "UnparseableDateError": "osint_kit.errors",
    "MissingReferenceError": "osint_kit.errors",
    "TimelineError": "osint_kit.errors",
    "SourceError": "osint_kit.errors",
    "IngestError": "osint_kit.errors",
    "ArchiveError": "osint_kit.errors",
    "ArchiveLimitError": "osint_kit.errors",
    "ArchiveIntegrityError": "osint_kit.errors",
    "ArchivePathError": "osint_kit.errors",
    "GeoError": "osint_kit.errors",
    "CaseError": "osint_kit.errors",
    "CaseExistsError": "osint_kit.errors",
    "CaseNotFoundError": "osint_kit.errors",
    "IntegrityError": "osint_kit.errors",
    "UnsafeArchiveError": "osint_kit.errors",
    "WorkshopError": "osint_kit.errors",
    "NetworkDisabledError": "osint_kit.errors",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'osint_kit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from osint_kit.case import (  # noqa: F401
        Case,
        CustodyHead,
        VerifyReport,
    )
    from osint_kit.display.contact_sheet import (  # noqa: F401
        contact_sheet,
    )
    from osint_kit.display.gps import (  # noqa: F401
        plot_gps,
    )
    from osint_kit.display.maps import (  # noqa: F401
        interactive_map,
        plot_places,
        plot_shadow_finder,
    )
    from osint_kit.display.media import thumbnail_vs_image  # noqa: F401
    from osint_kit.display.sources import (  # noqa: F401
        matrix_html,
        plot_independence,
    )
    from osint_kit.display.text import (  # noqa: F401
        human_duration,
    )
    from osint_kit.display.timeline import (  # noqa: F401
        plot_timeline,
        timeline_explorer,
    )
    from osint_kit.errors import (  # noqa: F401
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
    from osint_kit.geo import (  # noqa: F401
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
    from osint_kit.media.forensics.c2pa import (  # noqa: F401
        c2pa_info,
    )
    from osint_kit.media.forensics.daylight import (  # noqa: F401
        check_daylight,
        mean_luminance,
    )
    from osint_kit.media.forensics.inspect import (  # noqa: F401
        FINDING_COLUMNS,
        Finding,
        Findings,
        inspect,
        inspect_scan,
    )
    from osint_kit.media.forensics.quality import (  # noqa: F401
        jpeg_quality,
    )
    from osint_kit.media.forensics.thumbnail import (  # noqa: F401
        compare_thumbnail,
        extract_thumbnail,
    )
    from osint_kit.media.forensics.video_rules import (  # noqa: F401
        video_findings,
    )
    from osint_kit.media.forensics.views import (  # noqa: F401
        ela,
        noise_view,
    )
    from osint_kit.media.frames import (  # noqa: F401
        frames_table,
        keyframes,
    )
    from osint_kit.media.read.metadata import (  # noqa: F401
        ImageMetadata,
        read_metadata,
    )
    from osint_kit.media.read.schema import (  # noqa: F401
        COLUMN_DOCS,
        SCAN_COLUMNS,
    )
    from osint_kit.media.read.video import (  # noqa: F401
        VideoMetadata,
    )
    from osint_kit.media.scan import (  # noqa: F401
        read_scan_parquet,
        scan,
        scan_to_parquet,
    )
    from osint_kit.media.similar.duplicates import (  # noqa: F401
        find_copies,
        near_duplicates,
    )
    from osint_kit.media.similar.hashes import (  # noqa: F401
        crypto_hashes,
        perceptual_hashes,
    )
    from osint_kit.media.similar.reverse import (  # noqa: F401
        crop_image,
        search_links,
    )
    from osint_kit.media.similar.video import (  # noqa: F401
        frame_matches,
        near_duplicate_videos,
        video_fingerprints,
    )
    from osint_kit.sources import (  # noqa: F401
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
    from osint_kit.sources.capture.archives import (  # noqa: F401
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
    from osint_kit.timeline import (  # noqa: F401
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
    from osint_kit.workshop.build import (  # noqa: F401
        build_student,
    )
    from osint_kit.workshop.casefiles import (  # noqa: F401
        build_case,
        find_examples,
        load_example_case,
    )
    from osint_kit.workshop.checks import (  # noqa: F401
        check,
    )
