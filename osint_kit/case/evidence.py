"""Evidence intake: a content-addressed, read-only store under ``<case>/objects/``.

The original file is opened once, read-only, and streamed into a temporary file while its
SHA-256 and MD5 are computed over exactly the bytes copied. The copy is flushed to disk, read
back and hashed again (a copy that does not verify is discarded), made read-only (0o444) and
renamed to ``objects/<first two hex digits>/<remaining 62 hex digits>``. Only then is the
record written, together with its custody entry, in one transaction. A crash before the
commit leaves at most an unreferenced object, which :func:`unreferenced_objects` reports and
``verify()`` lists as a note, never as tampering.

The metadata reader and the forensic findings run on the stored copy, never on the original:
photos through :func:`~osint_kit.media.read.metadata.read_metadata` and
:func:`~osint_kit.media.forensics.inspect.inspect`, videos (MP4, MOV, 3GP, MKV, WebM, AVI, told
apart by their first bytes) through :func:`~osint_kit.media.read.video.read_video_metadata` and
:func:`~osint_kit.media.forensics.video_rules.video_findings`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osint_kit._html import kv_table
from osint_kit._io import iter_blocks, stat_evidence
from osint_kit.case.schema import canonical_json
from osint_kit.errors import CaseError, EvidenceError, UnreadableFileError
from osint_kit.runner import isolated

log = logging.getLogger(__name__)

OBJECTS = "objects"
#: where intakes write before the rename (``objects/.tmp``)
TMP = ".tmp"
_CHUNK = 1 << 20
READ_ONLY = 0o444


@dataclass(frozen=True)
class EvidenceItem:
    """One evidence item as recorded at intake."""

    id: str
    sha256: str
    md5: str
    size: int
    original_name: str
    stored_path: str
    intake_utc: str
    role: str
    parent_id: str | None
    metadata_error: str | None
    findings: int

    def __repr__(self) -> str:
        return (
            f"<EvidenceItem {self.id} {self.original_name!r} {self.size} B "
            f"sha256={self.sha256[:12]}… {self.role}>"
        )

    def _repr_html_(self) -> str:
        return kv_table(
            [
                ("id", self.id),
                ("original name", self.original_name),
                ("sha256", self.sha256),
                ("md5", self.md5),
                ("size (bytes)", self.size),
                ("intake (UTC)", self.intake_utc),
                ("role", self.role),
                ("parent", self.parent_id or ""),
                ("stored at", self.stored_path),
                ("metadata", self.metadata_error or "read"),
                ("findings", self.findings),
            ],
            title=f"Evidence {self.id}",
        )


def object_path(sha256: str) -> str:
    """Relative path of a content-addressed object: ``objects/ab/cdef…``."""
    return f"{OBJECTS}/{sha256[:2]}/{sha256[2:]}"


def sha256_size(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, streamed (what verify() and the read-back check need)."""
    sha, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while block := fh.read(_CHUNK):
            sha.update(block)
            size += len(block)
    return sha.hexdigest(), size


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _lock(fd: int, block: bool = True) -> bool:
    """An exclusive advisory lock on an intake's temporary file: held while the intake runs,
    so :func:`clean_tmp` can tell a crashed intake's leftover from one in progress."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: clean_tmp falls back to the file's age
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


_ZEROS = bytes(_CHUNK)


def store_object(folder: Path, source: Path | bytes) -> tuple[str, str, int, str]:
    """Copy a file (or bytes) into the object store; return sha256, md5, size, relative path.

    The source file is only ever opened with ``O_RDONLY``, and read up to the size it had
    when the intake started plus one byte: a file that grows meanwhile (a download still
    running, or a file made to grow for ever) is refused instead of copied without bound.
    Blocks of zeros are left as holes, so a sparse file stays sparse in the store.
    """
    tmp_dir = folder / OBJECTS / TMP
    tmp_dir.mkdir(parents=True, exist_ok=True)
    sha, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="intake-")
    tmp = Path(tmp_name)
    _lock(fd)  # held until the object is in place (the descriptor closes last)
    try:
        if isinstance(source, bytes):
            blocks: Iterator[bytes] = iter([source])
            before = None
        else:
            before = stat_evidence(source)
            blocks = iter_blocks(source, _CHUNK, limit=before.st_size + 1)
        with os.fdopen(fd, "wb", closefd=False) as out:
            for block in blocks:
                sha.update(block)
                md5.update(block)
                size += len(block)
                if before is not None and size > before.st_size:
                    raise UnreadableFileError(
                        str(source), f"the file grew while it was being copied (it had "
                        f"{before.st_size} bytes when the intake started); wait until whatever "
                        "is writing it has finished and add it again")
                if block == _ZEROS[: len(block)]:
                    out.seek(len(block), os.SEEK_CUR)  # a hole: sparse stays sparse
                else:
                    out.write(block)
            out.truncate(size)
            out.flush()
            os.fsync(out.fileno())
        if before is not None and not isinstance(source, bytes):
            after = os.stat(source)
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) \
                    or after.st_size != size:
                raise UnreadableFileError(
                    source, "the file changed while it was being copied; wait until whatever "
                    "is writing it has finished and add it again")
        digest = sha.hexdigest()
        check, check_size = sha256_size(tmp)
        if check != digest or check_size != size:
            raise CaseError(
                f"the stored copy of {source if not isinstance(source, bytes) else 'bytes'} "
                "does not match the bytes read (disk error?); nothing was added"
            )
        os.chmod(tmp, READ_ONLY)
        rel = object_path(digest)
        final = folder / rel
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            existing, _size = sha256_size(final)
            if existing != digest:
                raise CaseError(
                    f"{final} exists but does not hold the content its name promises; run "
                    "verify() and restore it from an export before adding more evidence"
                )
            tmp.unlink()
        else:
            os.replace(tmp, final)
            _fsync_dir(final.parent)
        return digest, md5.hexdigest(), size, rel
    finally:
        if tmp.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, stat.S_IWUSR | stat.S_IRUSR)
                tmp.unlink()
        os.close(fd)


def clean_tmp(folder: Path, min_age: float = 3600.0) -> list[tuple[str, int]]:
    """Remove what crashed intakes left in ``objects/.tmp``; return (name, bytes) of each.

    An intake in progress (in this or another process) holds a lock on its file and is left
    alone, and so is a file younger than a minute (an intake between creating its file and
    locking it); where locks are not available, only files older than ``min_age`` seconds go.
    """
    import time

    root = folder / OBJECTS / TMP
    if not root.is_dir():
        return []
    removed = []
    for path in sorted(root.iterdir()):
        try:
            st = path.lstat()
            if not stat.S_ISREG(st.st_mode) or time.time() - st.st_mtime < 60:
                continue
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            try:
                import fcntl  # noqa: F401
                free = _lock(fd, block=False)
            except ImportError:  # pragma: no cover - Windows
                free = time.time() - st.st_mtime > min_age
            if free:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append((path.name, st.st_size))
        finally:
            os.close(fd)
    return removed


#: seconds the metadata and findings of one intake may take before it is recorded as failed
ANALYSE_TIMEOUT = 120.0


def analyse(
    path: Path, original_name: str | None = None
) -> tuple[str | None, str | None, list[dict[str, Any]]]:
    """Run the metadata reader and the findings on a stored copy, in the isolated worker.

    ``file_name`` in the recorded metadata is the original name, not the object's name.

    Returns (metadata JSON text or None, error text or None, finding rows). A typed
    :class:`EvidenceError` from a reader is recorded as data, never raised: the intake of a
    file whose metadata cannot be parsed must still succeed. That includes a decoder that
    crashes or hangs on a crafted file: :func:`analyse_file` is isolated
    (:func:`osint_kit.runner.isolated`), so the intake records a WorkerCrashedError or
    ProcessingTimeoutError instead of the notebook dying with it.
    """
    try:
        return analyse_file(str(path), original_name)
    except EvidenceError as err:
        return None, f"{type(err).__name__}: {err.reason}", []


@isolated(timeout=ANALYSE_TIMEOUT)
def analyse_file(
    path: str, original_name: str | None = None
) -> tuple[str | None, str | None, list[dict[str, Any]]]:
    """The metadata and finding rows of one stored copy (the body of :func:`analyse`).

    A video container (recognised by its first bytes, not its name) gives a
    :class:`~osint_kit.media.read.video.VideoMetadata` and video findings
    (:func:`~osint_kit.media.forensics.video_rules.video_findings`); anything else the photo
    record and :func:`~osint_kit.media.forensics.inspect.inspect`'s findings.
    """
    from osint_kit.media.forensics.inspect import inspect
    from osint_kit.media.read.metadata import read_metadata

    try:
        meta = read_metadata(path)  # runs directly: this is the isolated worker
    except EvidenceError as err:
        return None, f"{type(err).__name__}: {err.reason}", []
    video = getattr(meta, "kind", None) == "video"
    photo_record = meta.to_record() if hasattr(meta, "to_record") else {}
    record = video_record(meta) if video else photo_record
    record.pop("path", None)  # the stored copy's path says nothing about the evidence
    if original_name is not None and "file_name" in record:
        record["file_name"] = original_name
    metadata = canonical_json(record)
    rows: list[dict[str, Any]] = []
    from osint_kit.media.forensics.video_rules import video_findings

    judge: Any = video_findings if video else inspect
    origin = f"{judge.__module__}.{judge.__name__}"
    try:
        found = judge(meta)
    except EvidenceError as err:
        return metadata, f"findings failed: {type(err).__name__}: {err.reason}", rows
    for finding in found:
        rows.append(
            {
                "code": finding.code,
                "severity": finding.severity,
                "title": finding.title,
                "explanation": finding.explanation,
                "evidence": json.loads(canonical_json(dict(finding.evidence))),
                "origin": origin,
            }
        )
    return metadata, None, rows


def video_record(meta: Any) -> dict[str, Any]:
    """A :class:`~osint_kit.media.read.video.VideoMetadata` as JSON values: times as ISO 8601
    text with their offsets, tags and provenance as objects, edit lists as lists."""
    import dataclasses
    import datetime as dt
    from collections.abc import Mapping

    out: dict[str, Any] = {}
    for f in dataclasses.fields(meta):
        value = getattr(meta, f.name)
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        elif isinstance(value, Mapping):
            value = {str(k): str(v) for k, v in value.items()}
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        out[f.name] = value
    return out


def unreferenced_objects(folder: Path, referenced: set[str]) -> list[str]:
    """Objects in the store that no evidence record names (e.g. an interrupted intake)."""
    root = folder / OBJECTS
    if not root.exists():
        return []
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if ".tmp" in path.relative_to(root).parts or not path.is_file():
            continue
        if rel not in referenced:
            out.append(rel)
    return out
