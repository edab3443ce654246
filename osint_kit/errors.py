"""The exception tree of osint_kit.

Single-item functions raise these; batch functions (``scan``, ``inspect`` over a DataFrame,
hashing a folder) record them as data in an ``error`` column and never die on one file.
Every message says what went wrong, why, and what the researcher can do about it.

::

    OsintKitError
    ├── EvidenceError                  a file given as evidence could not be used
    │   ├── NotAFileError              a directory, socket, missing path, symlink loop
    │   ├── UnreadableFileError        permission denied, I/O error
    │   ├── EmptyFileError             zero bytes
    │   ├── UnsupportedFormatError     not an image or video format osint_kit can read
    │   ├── CorruptImageError          the format is known but the bytes are broken
    │   ├── ImageTooLargeError         declared pixel count or file size above the safety limit
    │   ├── ProcessingTimeoutError     a per-file time limit was hit
    │   └── WorkerCrashedError         the worker process died (e.g. a segfault) on this file
    ├── EngineError                    a batch engine could not run at all (not one file's fault)
    ├── HashFormatError                a perceptual-hash value that is not 64-bit hex
    ├── DateError                      a date expression could not be turned into a When
    │   ├── UnparseableDateError       no date found in the text
    │   └── MissingReferenceError      a relative expression ("Friday") without a reference date
    ├── TimelineError                  an event table that does not follow the schema
    ├── SourceError                    captures, sources and claims
    │   └── IngestError                a capture (HTML or text) could not be read
    │       └── ArchiveError           a web archive (WARC/WACZ) or channel export is unreadable
    │           ├── ArchiveLimitError  a safety limit was hit (gzip bomb, deep nesting, huge value)
    │           ├── ArchiveIntegrityError  a declared hash or digest does not match the bytes
    │           └── ArchivePathError   a member or media path points outside the archive/export
    ├── GeoError                       places, sun and shadow computations
    ├── CaseError                      the case folder, store and custody log
    │   ├── CaseExistsError / CaseNotFoundError
    │   ├── IntegrityError             verify() found altered, missing or inserted material
    │   └── UnsafeArchiveError         an exchange zip tries path traversal, links or a bomb
    ├── WorkshopError                  building student notebooks
    └── NetworkDisabledError           a function would need the network and was not allowed to
"""

from __future__ import annotations

from pathlib import Path


class OsintKitError(Exception):
    """Base class of every error osint_kit raises on purpose."""


# --- evidence files ------------------------------------------------------------------------


class EvidenceError(OsintKitError):
    """A file given as evidence could not be used. ``path`` names it, ``reason`` says why."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type[EvidenceError], tuple[str, str]]:
        # pickled as (path, reason), so the error crosses from a worker process intact
        return type(self), (self.path, self.reason)


class NotAFileError(EvidenceError):
    """The path is not a regular file (missing, a directory, a device, a symlink loop)."""


class UnreadableFileError(EvidenceError):
    """The file exists but cannot be read (permissions, I/O error)."""


class EmptyFileError(EvidenceError):
    """The file has zero bytes: nothing to analyse."""


class UnsupportedFormatError(EvidenceError):
    """The bytes are not an image or video format osint_kit can read."""


class CorruptImageError(EvidenceError):
    """The format is recognised but its structure is broken (truncated, bit-flipped...)."""


class ImageTooLargeError(EvidenceError):
    """Declared dimensions or size exceed the safety limit (a decompression bomb?)."""


class ProcessingTimeoutError(EvidenceError):
    """Processing one file took longer than the per-file time limit."""


# --- batch engines (scan, map_files) ----------------------------------------------------------


class WorkerCrashedError(EvidenceError):
    """The worker process died (e.g. a segfault in a C decoder) while reading this file."""


class HashFormatError(OsintKitError, ValueError):
    """A hash column holds values that are not 64-bit hashes (16 hex characters)."""


class EngineError(OsintKitError):
    """The batch engine itself cannot run (workers cannot start, Dask missing or misused)."""


# --- dates and timelines -------------------------------------------------------------------


class DateError(OsintKitError, ValueError):
    """A date expression could not be turned into a When."""


class UnparseableDateError(DateError):
    """No date could be read from the text."""


class MissingReferenceError(DateError):
    """A relative expression ("Friday", "last month") needs an explicit reference date."""


class TimelineError(OsintKitError, ValueError):
    """An event table does not follow the documented schema."""


# --- sources ---------------------------------------------------------------------------------


class SourceError(OsintKitError):
    """Sources, claims and propositions that are inconsistent."""


class IngestError(SourceError):
    """A capture (saved HTML or text) could not be ingested."""


class ArchiveError(IngestError):
    """A web archive (WARC/WACZ), channel export or sidecar could not be read."""


class ArchiveLimitError(ArchiveError):
    """A safety limit was hit: a gzip/zip bomb, nesting too deep, one value too large, too slow."""


class ArchiveIntegrityError(ArchiveError):
    """A hash or digest declared in the archive does not match the bytes it describes."""


class ArchivePathError(ArchiveError):
    """A name in an archive or export points outside it (zip-slip, ``..``, absolute, link)."""


# --- place and time --------------------------------------------------------------------------


class GeoError(OsintKitError, ValueError):
    """Invalid coordinates, times or shadow measurements."""


# --- the case --------------------------------------------------------------------------------


class CaseError(OsintKitError):
    """The case folder, its store or its custody log."""


class CaseExistsError(CaseError):
    """Case.create() was given a folder that already holds a case."""


class CaseNotFoundError(CaseError):
    """Case.open() was given a folder without a case in it."""


class IntegrityError(CaseError):
    """verify() found altered, missing or inserted evidence or log entries."""


class UnsafeArchiveError(CaseError):
    """An exchange archive tries to write outside its folder, holds links, or is a bomb."""


# --- workshop and network --------------------------------------------------------------------


class WorkshopError(OsintKitError):
    """Student notebooks could not be built."""


class NetworkDisabledError(OsintKitError):
    """The call needs the network; pass the explicit opt-in argument if you really want it."""
