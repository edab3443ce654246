"""Scan folders of photos and videos into one table: in memory (``scan``) or streamed to Parquet.

``scan(folder)`` walks the folder, reads every file's metadata in parallel worker processes
(:mod:`osint_kit.runner.engine`) and returns a DataFrame with exactly
:data:`~osint_kit.media.read.schema.SCAN_COLUMNS`, one row per file, sorted by path; ``kind``
says whether a row is an image or a video (told by content, not by name), and videos fill
the video columns (:data:`~osint_kit.media.read.schema.VIDEO_COLUMNS`) and their SHA-256.
Files that cannot be read (empty, truncated, neither image nor video, unreadable, a symlink
loop, a file that hangs or crashes a decoder) get a row with ``error`` and ``error_type`` set:
the scan never dies on one file and skips nothing silently. Hidden files are scanned like any other. Originals are
opened read-only (through :mod:`osint_kit._io`).

``scan_to_parquet(folder, out_dir)`` writes the same rows as Parquet part files of
``part_rows`` rows, so memory stays flat however many files there are, and records each
finished part in ``out_dir/_manifest/``: run it again after an interruption and it carries on
with the files not yet written.

Walking rules: directories are not rows; symbolic links to files are read through; symbolic
links to directories are *not* followed (they become a ``NotAFileError`` row, so a link loop
or a link to ``/`` cannot derail a scan); a folder seen twice (bind mounts) is walked once;
a folder that cannot be listed becomes an ``UnreadableFileError`` row.
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import os
import stat
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osint_kit._io import printable_text
from osint_kit.errors import EvidenceError, NotAFileError, UnreadableFileError
from osint_kit.media.read._rows import video_scan_row
from osint_kit.media.read.schema import (
    BOOL_COLUMNS,
    DATETIME_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    SCAN_COLUMNS,
    error_record,
)
from osint_kit.runner.engine import DEFAULT_TIMEOUT, FileMapper, _progress_bar, is_url, resolve

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

log = logging.getLogger(__name__)

PathsLike = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]

#: The function each worker calls per file; must return an object with ``to_record()``.
DEFAULT_READER = "osint_kit.media.read.metadata:read_metadata"
#: Rows per Parquet part file written by :func:`scan_to_parquet`.
DEFAULT_PART_ROWS = 2000
MANIFEST_DIR = "_manifest"
PART_PATTERN = "part-{:05d}.parquet"

#: Test hook: called as ``hook(part_index)`` after each part and its manifest are written.
_AFTER_PART_HOOK: Callable[[int], None] | None = None


# --- walking -------------------------------------------------------------------------------------


def list_files(
    folder_or_paths: PathsLike, recursive: bool = True
) -> tuple[list[str], dict[str, Exception]]:
    """Every file to scan (sorted, absolute, no duplicates) and the problems met walking.

    The second value maps paths that are known failures before any reading (an unlistable
    folder, a symlink to a folder) to the error their row will carry.
    """
    items = [folder_or_paths] if isinstance(folder_or_paths, str | os.PathLike) else list(
        folder_or_paths
    )
    files: set[str] = set()
    problems: dict[str, Exception] = {}
    seen_dirs: set[tuple[int, int]] = set()
    for item in items:
        raw = os.fspath(item)
        if is_url(raw):
            files.update(_list_url(raw, recursive))
            continue
        path = os.path.abspath(raw)
        if os.path.isdir(path):  # a folder named explicitly is walked even through a link
            _walk(path, recursive, files, problems, seen_dirs)
        else:
            files.add(path)  # missing or odd paths become error rows, never vanish
    for p in problems:
        files.discard(p)
    return sorted(files), problems


def _walk(
    root: str,
    recursive: bool,
    files: set[str],
    problems: dict[str, Exception],
    seen: set[tuple[int, int]],
) -> None:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
        except OSError as err:
            problems[folder] = UnreadableFileError(folder, f"cannot stat folder: {err.strerror}")
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            log.info("folder %s already walked (a loop or a bind mount): skipped", folder)
            continue
        seen.add(key)
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as err:
            problems[folder] = UnreadableFileError(
                folder, f"cannot list this folder ({err.strerror}); its files were not scanned"
            )
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_link = entry.is_symlink()
            except OSError:
                is_dir = is_link = False
            if is_dir:
                if recursive:
                    stack.append(entry.path)
            elif is_link and _points_to_dir(entry.path):
                problems[entry.path] = NotAFileError(
                    entry.path,
                    "symbolic link to a folder: not followed (links can loop or leave the "
                    "folder); scan its target explicitly if you need it",
                )
            else:
                files.add(entry.path)


def _points_to_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:  # broken link or loop: a file row will say so
        return False


def _list_url(url: str, recursive: bool) -> list[str]:
    """Files under an fsspec URL (``s3://bucket/prefix``); needs that protocol's backend."""
    import fsspec  # lazy: only for URLs

    fs, root = fsspec.core.url_to_fs(url)
    if fs.isfile(root):
        return [url]
    found = fs.find(root, maxdepth=None if recursive else 1)
    return [fs.unstrip_protocol(p) for p in found]


# --- one file (runs in the workers) --------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _reader(spec: str) -> Callable[..., Any]:
    """The reader named by ``spec``, imported once per process (not once per file); an
    isolated reader's in-process form (a scan's workers are its isolation, ``workers=0``
    asks for none)."""
    fn = resolve(spec)
    return getattr(fn, "here", fn)


def scan_file(path: str, reader: str = DEFAULT_READER,
              options: tuple[tuple[str, Any], ...] = ()) -> tuple[Any, ...]:
    """One scan row as a tuple in SCAN_COLUMNS order (tuples pickle faster than dicts).

    ``options``: keyword arguments for the reader as (name, value) pairs (hashable, so a
    warm worker pool is found again); the default reader gets ``raw=False`` and ``md5``.
    A video record becomes its row here, with the file's hashes (``md5`` when asked)."""
    kwargs = dict(options)
    meta = _reader(reader)(path, **kwargs)
    if getattr(meta, "kind", None) == "video" and not isinstance(meta, dict):
        return video_scan_row(meta, bool(kwargs.get("md5", False)))
    if hasattr(meta, "to_row"):
        return meta.to_row()
    record = meta if isinstance(meta, dict) else meta.to_record()
    return tuple(record.get(c) for c in SCAN_COLUMNS)


def error_row(path: str, exc: BaseException) -> tuple[Any, ...]:
    """The row of a file that could not be read; ``file_size`` kept when the size is known,
    and ``kind`` when the first bytes look like an image or a video."""
    record = error_record(path, exc)
    if not is_url(path):
        try:
            st = os.stat(path)
            if stat.S_ISREG(st.st_mode):
                record["file_size"] = st.st_size
                record["kind"] = _kind_of(path)
        except OSError:
            pass
    return tuple(record[c] for c in SCAN_COLUMNS)


def _kind_of(path: str) -> str | None:
    """"image" or "video" from a file's first 16 bytes (signatures only, nothing parsed)."""
    from osint_kit._io import read_evidence_head
    from osint_kit.media.read._pillow import sniff_format
    from osint_kit.media.read.video import sniff_video

    try:
        head = read_evidence_head(path, 16)
    except EvidenceError:
        return None
    if sniff_format(head) is not None:
        return "image"
    return "video" if sniff_video(head) is not None else None


_ERROR_ROW = "osint_kit.media.scan:error_row"
_SCAN_FILE = "osint_kit.media.scan:scan_file"


def _mapper(
    reader: str, workers: int | None, engine: str, timeout: float | None, client: Any,
    md5: bool = False,
) -> FileMapper:
    resolve(reader)  # a wrong reader name fails here, once, with a clear ImportError
    default = reader == DEFAULT_READER
    preload = (reader.partition(":")[0], *(_READER_PRELOAD if default else ()))
    options = (("md5", md5), ("raw", False)) if default else ()
    return FileMapper(_SCAN_FILE, (reader, options), _ERROR_ROW, workers, engine, timeout, client,
                      preload=preload)


#: Imported once in the process workers fork from, instead of once per worker
#: (read_metadata imports Pillow lazily; ~80 ms per worker otherwise).
_READER_PRELOAD = ("PIL.Image", "PIL.JpegImagePlugin", "PIL.PngImagePlugin",
                   "PIL.TiffImagePlugin", "PIL.IptcImagePlugin", "exifread",
                   "osint_kit.media.read.video._qt")


# --- tables ------------------------------------------------------------------------------------


def arrow_schema(large_strings: bool = False) -> pa.Schema:
    """The fixed Arrow schema of a scan: stable types even for all-empty columns.

    ``large_strings``: text as ``large_string``, the type pandas keeps its strings in, so
    :func:`table_to_frame` need not convert each text column (half its time on a small
    scan); Parquet files keep plain ``string``."""
    import pyarrow as pa

    text = pa.large_string() if large_strings else pa.string()

    def typ(col: str) -> pa.DataType:
        if col in DATETIME_COLUMNS:
            return pa.timestamp("us", tz="UTC")
        if col in BOOL_COLUMNS:
            return pa.bool_()
        if col in INT_COLUMNS:
            return pa.int64()
        if col in FLOAT_COLUMNS:
            return pa.float64()
        return text

    return pa.schema([pa.field(c, typ(c), nullable=True) for c in SCAN_COLUMNS])


def rows_to_table(rows: Sequence[tuple[Any, ...]], large_strings: bool = False) -> pa.Table:
    """Scan rows (tuples in SCAN_COLUMNS order) as an Arrow table with :func:`arrow_schema`."""
    import pyarrow as pa

    schema = arrow_schema(large_strings)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(SCAN_COLUMNS)
    arrays = [_column(col, field.type) for col, field in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _column(values: Sequence[Any], typ: pa.DataType) -> pa.Array:
    """One Arrow column; values are made plain (:func:`_plain`) only when Arrow refuses them
    as they are (records from custom readers, file names that are not UTF-8), which keeps
    the common case fast."""
    import pyarrow as pa

    try:
        return pa.array(values, type=typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, UnicodeEncodeError):
        return pa.array([_plain(v) for v in values], type=typ)


def _plain(value: Any) -> Any:
    """Values Arrow cannot take as they are: a dict or a tuple becomes JSON / joined text,
    and text with the raw bytes of a non-UTF-8 file name shows them as ``\\xNN`` escapes
    (:func:`osint_kit._io.real_path` finds the file again)."""
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    elif isinstance(value, tuple | list):
        value = "; ".join(str(v) for v in value)
    return printable_text(value) if isinstance(value, str) else value


def table_to_frame(table: pa.Table) -> pd.DataFrame:
    """Arrow table -> DataFrame with nullable Int64/boolean columns (no float-ified ints)."""
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    # split_blocks: no consolidation of same-typed columns into 2-D blocks (the same frame;
    # about 15 % faster on a scan of the camera samples)
    return table.to_pandas(types_mapper=mapping.get, split_blocks=True)


def read_scan_parquet(out_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """Read what :func:`scan_to_parquet` wrote, as the same DataFrame ``scan`` returns."""
    import pyarrow.parquet as pq

    parts = sorted(Path(out_dir).glob("part-*.parquet"))
    if not parts:
        return table_to_frame(rows_to_table([]))
    table = pq.ParquetDataset(parts, schema=arrow_schema()).read()
    return table_to_frame(table.sort_by("path"))


# --- scan ----------------------------------------------------------------------------------------


def scan(
    folder_or_paths: PathsLike,
    *,
    recursive: bool = True,
    md5: bool = False,
    progress: bool = True,
    workers: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    chunk_size: int | None = None,
    engine: str = "local",
    client: Any = None,
    reader: str = DEFAULT_READER,
) -> pd.DataFrame:
    """Metadata of every file in a folder (or list of paths), one row per file.

    Columns are exactly :data:`~osint_kit.media.read.schema.SCAN_COLUMNS`; rows are sorted by
    path. Runs in the batch workers (their isolation), with the options every batch
    function shares (``workers``, ``timeout``, ``chunk_size``, ``engine``/``client``: see
    :mod:`osint_kit.runner`); ``workers=0`` runs here. A file over ``timeout`` becomes a
    ``ProcessingTimeoutError`` row. ``progress``: a tqdm bar. ``reader`` names the
    per-file function (``"module:function"``), for extensions and tests. ``md5=True`` fills
    the ``md5`` column too (for published MD5 hash lists; it roughly doubles the hashing
    time, so it is off by default; SHA-256 is always taken, and case intake records both).
    """
    warm = _import_in_background("pyarrow", "pandas")  # overlaps with the workers' start
    paths, problems = list_files(folder_or_paths, recursive)
    bar = _progress_bar(len(paths) + len(problems), "scan", progress)
    try:
        with _mapper(reader, workers, engine, timeout, client, md5) as m:
            rows = _scan_rows(m, paths, problems, chunk_size, bar.update)
    finally:
        bar.close()
    warm.join()
    return table_to_frame(rows_to_table(rows, large_strings=True))


def _import_in_background(*modules: str) -> threading.Thread:
    """Import heavy table libraries in a thread while the workers read files."""

    def run() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except ImportError:  # the real import later reports it properly
                return

    thread = threading.Thread(target=run, name="osint_kit-imports", daemon=True)
    thread.start()
    return thread


def _scan_rows(
    mapper: FileMapper,
    paths: Sequence[str],
    problems: dict[str, Exception],
    chunk_size: int | None,
    on_progress: Callable[[int], None],
) -> list[tuple[Any, ...]]:
    """Rows for ``paths`` plus the walk problems, sorted by path."""
    rows = mapper.map(paths, chunk_size, on_progress)
    if problems:
        rows.extend(error_row(p, e) for p, e in problems.items())
        on_progress(len(problems))
        key = SCAN_COLUMNS.index("path")
        rows.sort(key=lambda r: r[key])
    return rows


# --- streaming to Parquet -----------------------------------------------------------------------


def scan_to_parquet(
    folder_or_paths: PathsLike,
    out_dir: str | os.PathLike[str],
    *,
    part_rows: int = DEFAULT_PART_ROWS,
    resume: bool = True,
    recursive: bool = True,
    md5: bool = False,
    progress: bool = True,
    workers: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    chunk_size: int | None = None,
    engine: str = "local",
    client: Any = None,
    reader: str = DEFAULT_READER,
) -> Path:
    """Scan into Parquet part files of ``part_rows`` rows under ``out_dir``; return it.

    The batch options (``workers``, ``timeout``, ``chunk_size`` = files per message to a
    worker, ``engine``/``client``) are those of :func:`scan` (:mod:`osint_kit.runner`).

    Memory holds one part at a time. After each part, ``out_dir/_manifest/part-NNNNN.json``
    (the paths in that part) is written atomically; with ``resume=True`` (default) files
    already listed in a manifest are not read again, so an interrupted scan carries on where
    it stopped. ``resume=False`` deletes earlier parts first. Read the result with
    :func:`read_scan_parquet` (or ``pandas.read_parquet(out_dir)``; names starting with
    ``_`` are ignored by Parquet readers). ``md5`` as in :func:`scan`.
    """
    import pyarrow.parquet as pq

    if part_rows < 1:
        raise ValueError(f"part_rows must be >= 1, not {part_rows!r}")
    out = Path(out_dir)
    manifests = out / MANIFEST_DIR
    manifests.mkdir(parents=True, exist_ok=True)
    done, next_part = _load_manifests(out) if resume else (set(), 0)
    if not resume:
        _clear_parts(out)
    paths, problems = list_files(folder_or_paths, recursive)
    todo = [p for p in paths if p not in done]
    todo_problems = {p: e for p, e in problems.items() if p not in done}
    items = sorted([*todo, *todo_problems])
    if done:
        log.info("resuming: %d files already written, %d to go", len(done), len(items))
    bar = _progress_bar(len(items), "scan", progress)
    try:
        with _mapper(reader, workers, engine, timeout, client, md5) as m:
            for start in range(0, len(items), part_rows):
                part_items = items[start : start + part_rows]
                part_paths = [p for p in part_items if p not in todo_problems]
                part_problems = {p: todo_problems[p] for p in part_items if p in todo_problems}
                rows = _scan_rows(m, part_paths, part_problems, chunk_size, bar.update)
                name = PART_PATTERN.format(next_part)
                table = rows_to_table(rows)
                del rows
                _atomic_write(out / name, pq.write_table, table, compression="zstd")
                record = {"part": name, "rows": table.num_rows, "paths": part_items,
                          "written": datetime.now(UTC).isoformat(timespec="seconds")}
                _atomic_write(manifests / f"{Path(name).stem}.json", _write_text, json.dumps(record))
                del table
                if _AFTER_PART_HOOK is not None:
                    _AFTER_PART_HOOK(next_part)
                next_part += 1
    finally:
        bar.close()
    return out


def _atomic_write(target: Path, write: Callable[..., object], data: Any, **kw: Any) -> None:
    """``write(data, tmp)`` to a temporary name in the same folder, then rename to ``target``."""
    tmp = target.with_name(f".{target.name}.tmp")
    write(data, str(tmp), **kw)
    os.replace(tmp, target)


def _write_text(text: str, path: str) -> None:
    Path(path).write_text(text, encoding="utf-8")


def _load_manifests(out: Path) -> tuple[set[str], int]:
    """Paths already written and the next part number; drops parts without a manifest."""
    done: set[str] = set()
    listed: set[str] = set()
    last = -1
    for mf in sorted((out / MANIFEST_DIR).glob("part-*.json")):
        try:
            record = json.loads(mf.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("unreadable manifest %s: its part will be redone", mf)
            mf.unlink(missing_ok=True)
            continue
        if not (out / record["part"]).exists():
            mf.unlink(missing_ok=True)
            continue
        done.update(record["paths"])
        listed.add(record["part"])
        last = max(last, int(Path(record["part"]).stem.split("-")[1]))
    for part in out.glob("part-*.parquet"):
        if part.name not in listed:  # written but not recorded: the interrupted part
            part.unlink()
    for tmp in [*out.glob(".*.tmp"), *(out / MANIFEST_DIR).glob(".*.tmp")]:
        tmp.unlink()
    return done, last + 1


def _clear_parts(out: Path) -> None:
    for f in [*out.glob("part-*.parquet"), *(out / MANIFEST_DIR).glob("part-*.json")]:
        f.unlink()
