"""``inspect``: every rule over one image or video; ``inspect_scan``: over every row of a scan.

Videos (a ``VideoMetadata``, a video file, or a scan row whose ``kind`` is "video") get the
video findings of :mod:`osint_kit.media.forensics.video_rules`, photos the photo rules.

``inspect(path_or_metadata)`` returns :class:`Findings`; ``inspect_scan(scan_df)`` returns one
row per finding (columns :data:`FINDING_COLUMNS`). Each finding has a code, a severity
(``info`` < ``notice`` < ``warning``), a title, a plain-language explanation that says what
the sign does and does not prove, and the evidence (which fields, which values).

No finding is a verdict. Metadata can be removed or forged by anyone; findings say where to
look, and the explanation says what else could explain them. The codes are documented in
docs/forensics.md.
"""

from __future__ import annotations

import dataclasses
import logging
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from osint_kit._io import real_path
from osint_kit.errors import EvidenceError
from osint_kit.media.forensics.facts import read_file_facts
from osint_kit.media.forensics.model import (
    FINDING_COLUMNS,
    FileFacts,
    Finding,
    Findings,
    make_finding,
)
from osint_kit.media.forensics.rules import RULES, get_field, loaded_pandas
from osint_kit.runner import DEFAULT_TIMEOUT, isolated

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)


def _daylight(meta: Any, path: str | None) -> list[Finding]:
    if path is None or get_field(meta, "gps_latitude") is None or get_field(meta, "datetime_original") is None:
        return []
    from osint_kit.media.forensics.daylight import check_daylight, mean_luminance

    try:
        with warnings.catch_warnings():
            # the same pixels were decoded for the file facts, whose decoder warnings are
            # already evidence of reading_problems: printed again here they only pile up
            warnings.simplefilter("ignore")
            lum = mean_luminance(real_path(path))
    except EvidenceError as err:
        log.debug("no luminance for %s: %s", path, err)
        return []
    return [f if f.path else dataclasses.replace(f, path=path) for f in check_daylight(meta, lum)]


@isolated
def inspect(
    path_or_metadata: Any,
    read_file: bool = True,
    daylight: bool = True,
    read_c2pa: bool = True,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Findings:
    """Run every rule over one image or video and return its explained :class:`Findings`.

    Accepts a path (metadata is read with ``read_metadata``), an ``ImageMetadata``, a
    ``VideoMetadata`` or a scan row (a dict / pandas Series with the scan columns). A video
    gets :func:`~osint_kit.media.forensics.video_rules.video_findings` (from its metadata
    alone; they include the sun check when GPS and a creation time exist). ``read_file`` enables the checks that
    need the bytes (JPEG tables, thumbnail, C2PA, decodability); ``daylight`` the sun check
    when GPS and a capture time exist. A path that cannot be read raises the typed
    EvidenceError of :func:`~osint_kit.media.read.metadata.read_metadata`.

    Isolated (:func:`osint_kit.runner.isolated`), whatever it is given: the whole inspection
    runs in the warm worker process, so a decoder that crashes on a crafted file raises
    WorkerCrashedError, and one that hangs raises ProcessingTimeoutError after ``timeout``
    seconds, naming the file, instead of killing or freezing the notebook.
    ``inspect.here(...)`` runs it in this process, with no time limit.
    """
    meta = path_or_metadata
    if isinstance(meta, (str, Path)):
        from osint_kit.media.read.metadata import read_metadata

        meta = read_metadata(meta)  # runs directly: this is the worker (or .here)
    elif (pd := loaded_pandas()) is not None and isinstance(meta, pd.Series):
        meta = meta.to_dict()
    if get_field(meta, "kind") == "video":
        return _video(meta)
    path = get_field(meta, "path")
    path = str(path) if path else None
    ff: FileFacts | None = None
    if read_file and path is not None:
        thumb = getattr(meta, "thumbnail", None) if not isinstance(meta, Mapping) else None
        # a scan row shows a non-UTF-8 file name with \xNN escapes: read the real file
        ff = read_file_facts(real_path(path), thumb, get_field(meta, "format"), read_c2pa)
    items: list[Finding] = []
    for rule in RULES:
        items.extend(rule(meta, ff, path))
    if daylight and read_file:
        items.extend(_daylight(meta, path))
    return Findings(items, path)


def _video(meta: Any) -> Findings:
    """The video findings of a VideoMetadata or of a scan row of a video."""
    from osint_kit.media.forensics.video_rules import video_findings
    from osint_kit.media.read._rows import video_from_row

    record = video_from_row(meta) if isinstance(meta, Mapping) else meta
    path = get_field(meta, "path")
    return Findings(video_findings(record), str(path) if path else None)


def _error_finding(path: str, error: str, error_type: str) -> Finding:
    return make_finding("unreadable_file", {"error_type": error_type, "error": error}, path)


def _inspect_record(rec: dict[str, Any], read_files: bool = True, daylight: bool = True) -> list[dict[str, Any]]:
    """Finding rows of one scan record; never raises for a bad file (worker body)."""
    path = str(rec.get("path") or "")
    err = get_field(rec, "error")
    if err:
        return [_error_finding(path, str(err), str(get_field(rec, "error_type") or "")).to_record()]
    try:  # in a batch worker (its isolation) or, with workers=0, here as asked
        found = inspect.here(rec, read_file=read_files, daylight=daylight)
    except EvidenceError as exc:
        return [_error_finding(path, str(exc), type(exc).__name__).to_record()]
    return [f.to_record() for f in found]


def _inspect_item(
    item: str, records: tuple[dict[str, Any], ...], read_files: bool, daylight: bool
) -> list[dict[str, Any]]:
    """Engine worker body: ``item`` is the record's index (records travel once per worker)."""
    return _inspect_record(records[int(item)], read_files, daylight)


def _item_error(item: str, exc: BaseException) -> dict[str, Any]:
    """Engine ``on_error``: what failed, for the parent to turn into an ``unreadable_file`` row.

    The engine names the item (an index), not the file, so the parent adds the path.
    """
    reason = exc.reason if isinstance(exc, EvidenceError) else str(exc)
    return {"item": item, "error_type": type(exc).__name__, "reason": reason,
            "evidence_error": isinstance(exc, EvidenceError)}


_INSPECT_ITEM = "osint_kit.media.forensics.inspect:_inspect_item"
#: Scan rows sent to the workers at a time by :func:`inspect_scan` (each worker holds one
#: batch of records; workers start again for each batch, a fraction of a second).
INSPECT_BATCH = 5000
_ITEM_ERROR = "osint_kit.media.forensics.inspect:_item_error"
#: Imported once in the process the local workers fork from, not once per worker.
_INSPECT_PRELOAD = ("PIL.Image", "PIL.JpegImagePlugin", "PIL.PngImagePlugin",
                    "osint_kit.media.similar.hashes", "osint_kit.media.forensics.quality",
                    "osint_kit.media.forensics.thumbnail", "osint_kit.media.forensics.c2pa")


def inspect_scan(
    scan_df: pd.DataFrame,
    *,
    read_files: bool = True,
    daylight: bool = True,
    progress: bool = True,
    workers: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    chunk_size: int | None = None,
    engine: str = "local",
    client: Any = None,
) -> pd.DataFrame:
    """Findings for every row of a metadata scan: one row per finding (:data:`FINDING_COLUMNS`).

    Rows whose scan failed, and files that fail here, give an ``unreadable_file`` row with
    the error in its evidence: a batch never stops on one bad file. Rows come in the order
    of ``scan_df``. Runs in the batch workers (their isolation), with the options every batch
    function shares (``workers``, ``timeout``, ``chunk_size``, ``engine``: see
    :mod:`osint_kit.runner`); ``workers=0`` runs here. A file over ``timeout`` becomes an
    ``unreadable_file`` row with ``ProcessingTimeoutError``. The scan records travel to the
    workers in batches of :data:`INSPECT_BATCH` rows, so memory does not grow with the size
    of the scan.
    """
    from osint_kit.runner.engine import FileMapper, _progress_bar

    n = len(scan_df)
    n_workers = None if workers is None else max(0, int(workers))
    rows: list[dict[str, Any]] = []
    bar = _progress_bar(n, "inspecting", progress)
    try:
        for start in range(0, n, INSPECT_BATCH):
            records = tuple(cast(list[dict[str, Any]],
                                 scan_df.iloc[start : start + INSPECT_BATCH].to_dict("records")))
            with FileMapper(
                _INSPECT_ITEM, (records, read_files, daylight), _ITEM_ERROR, n_workers, engine,
                timeout, client, preload=_INSPECT_PRELOAD, keep_pool=False,
            ) as mapper:
                results = mapper.map([str(i) for i in range(len(records))], chunk_size,
                                     bar.update)
            rows.extend(_finding_rows(records, results))
    finally:
        bar.close()
    import pandas as pd

    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def _finding_rows(records: tuple[dict[str, Any], ...], results: list[Any]
                  ) -> list[dict[str, Any]]:
    """The finding rows of one batch, errors turned into ``unreadable_file`` rows."""
    rows: list[dict[str, Any]] = []
    for rec, res in zip(records, results, strict=True):
        if isinstance(res, dict):  # from _item_error: a timeout, a crash, an unexpected error
            path = str(rec.get("path") or "")
            message = f"{path}: {res['reason']}" if res["evidence_error"] else str(res["reason"])
            rows.append(_error_finding(path, message, str(res["error_type"])).to_record())
        else:
            rows.extend(res)
    return rows
