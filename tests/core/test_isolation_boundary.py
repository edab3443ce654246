"""Issue 22: crash isolation is one boundary (``osint_kit.runner.isolated``), not a flag.

With Pillow's decoders instrumented in this (the calling) process, every public single-file
helper given a path, an ``ImageMetadata`` record or a scan row (dict and pandas Series)
opens and decodes 0 images here, and gives what its in-process form ``.here`` gives. The
helpers come from a table; a second test checks that the table covers every public
``ok.*`` function whose first parameter is a path or a record, so a new helper added
without isolation fails here. Batch functions decode in their workers by default.
"""

from __future__ import annotations

import inspect as pyinspect
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageFile

import osint_kit as ok
from osint_kit.errors import ProcessingTimeoutError
from osint_kit.media.forensics.daylight import mean_luminance
from osint_kit.media.forensics.thumbnail import thumbnail_image
from osint_kit.media.forensics.views import preview_image, thumbnail_pair
from osint_kit.media.read.metadata import ImageMetadata
from osint_kit.media.similar.hashes import image_hashes
from osint_kit.media.similar.reverse import crop_image
from osint_kit.runner import Isolated, isolated
from osint_kit.runner.isolation import running_here
from osint_kit.testing.images import gps_tags, make_image

# --- the inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    path: Path
    record: ImageMetadata
    row: dict[str, Any]
    series: pd.Series
    work: Path  # a working folder for crops (never the evidence's own)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    root = tmp_path_factory.mktemp("boundary")
    (root / "evidence").mkdir()
    (root / "work").mkdir()
    path = make_image(root / "evidence" / "photo.jpg", size=(96, 64),
                      exif={"Make": "Canon", "Model": "EOS",
                            "DateTimeOriginal": "2022:06:21 12:00:00",
                            "OffsetTimeOriginal": "+02:00"},
                      gps=gps_tags(lat=50.45, lon=30.52), thumbnail="auto")
    record = ok.read_metadata.here(path)
    row = ok.scan([path], workers=0, progress=False).iloc[0]
    return Inputs(path, record, {str(k): v for k, v in row.items()}, row, root / "work")


# --- counting decodes in this process ---------------------------------------------------------


@dataclass
class Count:
    opens: int = 0  # Image.open
    loads: int = 0  # Image.Image.load, ImageFile.ImageFile.load
    files: int = 0  # os.open / open of a file in the evidence folder (read_metadata's way in)

    def total(self) -> tuple[int, int, int]:
        return self.opens, self.loads, self.files

    def reset(self) -> None:
        self.opens = self.loads = self.files = 0


@pytest.fixture
def count(monkeypatch: pytest.MonkeyPatch, inputs: Inputs) -> Count:
    """Count ``Image.open``, ``load`` (``Image.Image`` and ``ImageFile.ImageFile``) and opens
    of the evidence file, in this process."""
    import builtins

    seen = Count()
    real_open, real_load, real_file_load = Image.open, Image.Image.load, ImageFile.ImageFile.load
    real_os_open, real_builtin_open = os.open, builtins.open
    folder = str(inputs.path.parent)

    def os_opened(path: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(folder):
            seen.files += 1
        return real_os_open(path, *args, **kwargs)

    def builtin_opened(path: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(folder):
            seen.files += 1
        return real_builtin_open(path, *args, **kwargs)

    def opened(*args: Any, **kwargs: Any) -> Any:
        seen.opens += 1
        return real_open(*args, **kwargs)

    def loaded(self: Any) -> Any:
        seen.loads += 1
        return real_load(self)

    def file_loaded(self: Any) -> Any:
        seen.loads += 1
        return real_file_load(self)

    monkeypatch.setattr(os, "open", os_opened)
    monkeypatch.setattr(builtins, "open", builtin_opened)
    monkeypatch.setattr(Image, "open", opened)
    monkeypatch.setattr(Image.Image, "load", loaded)
    monkeypatch.setattr(ImageFile.ImageFile, "load", file_loaded)
    return seen


# --- the table -------------------------------------------------------------------------------

INPUT_KINDS = ("path", "record", "row", "series")


@dataclass(frozen=True)
class Helper:
    func: Callable[..., Any]
    kinds: tuple[str, ...] = ("path",)  # what it accepts as its first argument
    args: Callable[[Inputs], tuple[Any, ...]] = lambda i: ()


def _subject(inputs: Inputs, kind: str) -> Any:
    return {"path": inputs.path, "record": inputs.record, "row": inputs.row,
            "series": inputs.series}[kind]


#: Every public single-file helper that decodes untrusted bytes (or draws what one decoded).
HELPERS: dict[str, Helper] = {
    "read_metadata": Helper(ok.read_metadata),
    "inspect": Helper(ok.inspect, INPUT_KINDS),
    "ela": Helper(ok.ela),
    "noise_view": Helper(ok.noise_view),
    "thumbnail_vs_image": Helper(ok.thumbnail_vs_image),  # draws thumbnail_pair's arrays
    "jpeg_quality": Helper(ok.jpeg_quality),
    "extract_thumbnail": Helper(ok.extract_thumbnail),
    "compare_thumbnail": Helper(ok.compare_thumbnail),
    "compare_thumbnail(bytes)": Helper(ok.compare_thumbnail,
                                       args=lambda i: (i.record.thumbnail,)),
    "c2pa_info": Helper(ok.c2pa_info),
    "mean_luminance": Helper(mean_luminance),
    "find_copies": Helper(ok.find_copies,  # hashes the query with image_hashes
                          args=lambda i: (pd.DataFrame({"path": ["x"],
                                                        "phash": ["0" * 16]}), 64)),
    "image_hashes": Helper(image_hashes),
    "preview_image": Helper(preview_image),
    "thumbnail_pair": Helper(thumbnail_pair),
    "thumbnail_image": Helper(thumbnail_image),
    "crop_image": Helper(crop_image, args=lambda i: ((0, 0, 20, 10), i.work)),
}

#: Public functions whose first parameter is a path or a record but that decode no image
#: bytes in a native decoder, with the reason.
NOT_DECODERS = {
    "check_daylight": "arithmetic on a record's fields and a luminance already measured",
    "crypto_hashes": "SHA-256/MD5 of the bytes: no decoder",
    "check_wacz": "a ZIP's index checked by bounded Python code (archives.py limits)",
    "ingest_warc": "WARC records read by bounded Python code; HTML goes to ingest_html",
    "list_pages": "WARC index read by bounded Python code",
    "read_warc": "WARC records read by bounded Python code",
    "iter_telegram": "a Telegram JSON export (bounded JSON)",
    "read_telegram": "a Telegram JSON export (bounded JSON)",
    "read_ytdlp_info": "a yt-dlp .info.json (bounded JSON)",
    "load_places": "the researcher's own places file (YAML/CSV)",
    "read_scan_parquet": "reads the kit's own Parquet output",
    "video_findings": "rules over a video record's fields (read in the worker already)",
}

#: Batch functions: their worker pool is their isolation (tested below).
BATCH = {"scan", "scan_to_parquet", "perceptual_hashes", "video_fingerprints",
         "near_duplicate_videos", "frame_matches"}

#: Video helpers (decoded by FFmpeg through PyAV, not Pillow): tested with a clip below.
VIDEO = {"keyframes"}


def _first_param_is_path_or_record(func: Any) -> bool:
    try:
        params = list(pyinspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return False
    if not params:
        return False
    first = params[0]
    return ("Path" in str(first.annotation)
            or first.name in ("path", "path_or_metadata", "meta", "record", "row"))


def test_the_table_covers_every_public_path_or_record_function() -> None:
    public = {name for name in ok.__all__
              if callable(obj := getattr(ok, name)) and not isinstance(obj, type)
              and _first_param_is_path_or_record(obj)}
    assert {"read_metadata", "inspect", "jpeg_quality"} <= public  # the detection works
    covered = {name.partition("(")[0] for name in HELPERS} | set(NOT_DECODERS) | BATCH | VIDEO
    missing = public - covered
    assert not missing, f"public helpers with no isolation entry: {sorted(missing)}"
    assert not (set(NOT_DECODERS) | BATCH | VIDEO) - public  # no stale entries


def _here(helper: Helper, *args: Any) -> Any:
    """The in-process result: ``.here`` for an isolated function, else under the same
    switch (a function that only delegates to isolated ones, e.g. a figure)."""
    if isinstance(helper.func, Isolated):
        return helper.func.here(*args)
    with running_here():
        return helper.func(*args)


def _same(a: Any, b: Any) -> bool:
    """Results compare by value: arrays, pictures, figures, crops and findings included."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and np.array_equal(a, b)
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, Image.Image):
        return a.mode == b.mode and a.size == b.size and a.tobytes() == b.tobytes()
    if isinstance(a, pd.DataFrame):
        return a.reset_index(drop=True).equals(b.reset_index(drop=True))
    if isinstance(a, ok.Findings):
        return [f.to_record() for f in a] == [f.to_record() for f in b]
    if isinstance(a, Path):  # a crop: a new file each time, with the same pixels
        with Image.open(a) as x, Image.open(b) as y:
            return x.size == y.size and x.tobytes() == y.tobytes()
    if type(a).__name__ == "Figure":
        return ([ax.get_title() for ax in a.axes] == [ax.get_title() for ax in b.axes]
                and a.texts[0].get_text() == b.texts[0].get_text())
    return bool(a == b)


CASES = [(name, kind) for name, h in HELPERS.items() for kind in h.kinds]


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_a_helper_decodes_nothing_in_the_caller(name: str, kind: str, inputs: Inputs,
                                                 count: Count) -> None:
    helper = HELPERS[name]
    subject = _subject(inputs, kind)
    extra = helper.args(inputs)
    expected = _here(helper, subject, *extra)
    assert sum(count.total()) > 0, "the in-process form reads here: the counter can see it"
    count.reset()
    got = helper.func(subject, *extra)
    assert count.total() == (0, 0, 0), f"{name}({kind}) read or decoded in the caller"
    assert _same(expected, got), name


def test_the_in_process_form_is_one_attribute() -> None:
    for name, helper in HELPERS.items():
        if name in ("thumbnail_vs_image", "find_copies"):
            continue  # draw or search with what isolated helpers return
        assert isinstance(helper.func, Isolated), name
        params = pyinspect.signature(helper.func).parameters
        assert "isolate" not in params and "timeout" in params, name
        assert callable(helper.func.here)
    for name in ("ingest_text", "ingest_html"):
        assert isinstance(getattr(ok, name), Isolated)


# --- crafted hangs, crashes and nesting ---------------------------------------------------------


def hang(*args: Any, **kwargs: Any) -> Any:
    """Stands in for a decoder stuck in C code (signals blocked, as in a C loop)."""
    import signal

    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM, signal.SIGINT, signal.SIGTERM])
    time.sleep(30)


@pytest.mark.parametrize("kind", ["record", "row", "series"])
def test_a_hang_through_a_record_names_the_file(kind: str, inputs: Inputs,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ok.inspect, "_target", f"{__name__}:hang")
    start = time.monotonic()
    with pytest.raises(ProcessingTimeoutError) as hung:
        ok.inspect(_subject(inputs, kind), timeout=1.0)
    assert hung.value.path == str(inputs.path)
    assert time.monotonic() - start < 15  # the stuck worker was killed, not waited for
    monkeypatch.undo()
    assert _same(ok.inspect(inputs.record), ok.inspect.here(inputs.record))  # a fresh worker


def test_the_time_limit_is_the_decorators_default_or_the_callers(inputs: Inputs,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    assert ok.jpeg_quality.timeout == 60.0 and preview_image.timeout == 20.0
    quick = ok.jpeg_quality.with_timeout(1.0)
    assert quick.timeout == 1.0 and ok.jpeg_quality.timeout == 60.0
    monkeypatch.setattr(ok.jpeg_quality, "_target", f"{__name__}:hang")
    monkeypatch.setattr(quick, "_target", f"{__name__}:hang")
    # timeout= works on every isolated function; type checkers know it where the function
    # declares it (read_metadata, inspect, preview_image, ingest_*), with_timeout everywhere
    for call in (lambda: quick(inputs.path),
                 lambda: ok.jpeg_quality(inputs.path, timeout=1.0)):  # type: ignore[call-arg]
        start = time.monotonic()
        with pytest.raises(ProcessingTimeoutError):
            call()
        assert time.monotonic() - start < 15


@isolated
def _pids(path: str) -> tuple[int, int, int]:
    """(this process, the process a nested isolated call ran in, how many children)."""
    import multiprocessing

    return os.getpid(), _inner_pid(path), len(multiprocessing.active_children())


@isolated
def _inner_pid(path: str) -> int:
    return os.getpid()


def test_nested_isolated_calls_in_a_worker_start_no_second_worker(inputs: Inputs) -> None:
    outer, inner, children = _pids(str(inputs.path))
    assert outer != os.getpid()  # the outer call ran in the isolated worker
    assert inner == outer and children == 0  # the nested one ran right there
    assert _pids.here(str(inputs.path)) == (os.getpid(), os.getpid(),
                                            len(__import__("multiprocessing").active_children()))


def test_arguments_travel_pickled_and_relative_paths_mean_the_callers(
        inputs: Inputs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(inputs.path.parent)
    meta = ok.read_metadata(inputs.path.name)
    assert meta == ok.read_metadata.here(inputs.path.name)
    assert meta.path == str(inputs.path)


# --- batches: the pool is the isolation -------------------------------------------------------------


def test_batches_decode_in_their_workers_by_default(inputs: Inputs, count: Count) -> None:
    folder = inputs.path.parent
    ok.scan(folder, progress=False)
    ok.perceptual_hashes([inputs.path], progress=False)
    ok.inspect_scan(pd.DataFrame([inputs.row]), progress=False)
    assert count.total() == (0, 0, 0)
    ok.inspect_scan(pd.DataFrame([inputs.row]), progress=False, workers=0)  # here, as asked
    assert count.loads > 0


def test_video_helpers_decode_nothing_in_the_caller(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A clip given as a path, a record or a scan row: FFmpeg (``av.open``) and the reader's
    own file opens run in the worker only; the results equal the in-process ones."""
    import av

    from osint_kit.testing.videos import make_clip

    (tmp_path / "evidence").mkdir()
    (tmp_path / "work").mkdir()
    clip = make_clip(tmp_path / "evidence" / "clip.mp4", seconds=2, size=(160, 120))
    record = ok.read_metadata.here(clip)
    row = ok.scan([clip], workers=0, progress=False).iloc[0].to_dict()
    expected = {
        "read_metadata": record,
        "inspect": ok.inspect.here(record),
        "keyframes": [f.time_s for f in ok.keyframes.here(clip, tmp_path / "work")],
    }
    calls: list[str] = []
    real_av_open, real_os_open = av.open, os.open
    folder = str(clip.parent)

    def av_opened(*args: Any, **kwargs: Any) -> Any:
        calls.append("av.open")
        return real_av_open(*args, **kwargs)

    def os_opened(path: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(folder):
            calls.append(f"os.open {path}")
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(av, "open", av_opened)
    monkeypatch.setattr(os, "open", os_opened)
    assert ok.read_metadata(clip) == expected["read_metadata"]
    for subject in (clip, record):
        assert _same(ok.inspect(subject), expected["inspect"])
    # a scan row carries no raw tags (scans drop them), so less evidence: the same codes
    assert ([f.code for f in ok.inspect(row)]
            == [f.code for f in expected["inspect"]] == [f.code for f in ok.inspect.here(row)])
    got = [f.time_s for f in ok.keyframes(clip, tmp_path / "work")]
    assert calls == []
    assert got == expected["keyframes"]


def test_displaying_a_record_decodes_nothing_in_the_caller(inputs: Inputs, count: Count) -> None:
    """A record's notebook view shows its embedded thumbnail: decoded in the worker."""
    from osint_kit.media.read._html import thumbnail_data_uri

    assert inputs.record.thumbnail  # the fixture has one: the view has something to decode
    expected = thumbnail_data_uri.here(inputs.record.thumbnail)
    assert count.loads > 0  # the in-process form decodes here: the counter sees it
    count.reset()
    html = inputs.record._repr_html_()
    assert count.total() == (0, 0, 0)
    assert expected is not None and expected in html
