"""Images above ``MAP_BYTES`` are memory-mapped, not read into memory.

The record must be the one the in-memory path gives: the differential tests run every file
through the map (``MAP_BYTES = 0``) and through a whole read (no threshold) and require equal
records, raw dumps, warnings, thumbnails and errors. A satellite-sized file above the 1 GiB
limit of whole reads gets its record, with the memory of the reading process staying small.
"""

from __future__ import annotations

import hashlib
import io
import json
import mmap
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from differential import EXAMPLES, files_below, same_either_way
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import osint_kit.media.read.metadata as metadata_mod
from osint_kit._io import MAX_FILE_BYTES, as_file, digests, map_evidence
from osint_kit.errors import EvidenceError
from osint_kit.media.read.metadata import read_metadata


def _outcome(path: Path) -> tuple[Any, ...] | str:
    try:
        meta = read_metadata.here(path, md5=True)  # thresholds patched here
    except EvidenceError as err:
        return f"{type(err).__name__}: {err}"
    return meta, meta.thumbnail  # equality covers raw, provenance and warnings


def _compare(paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> int:
    return same_either_way(paths, monkeypatch, "MAP_BYTES", _outcome)


def test_same_records_mapped_or_read_on_hostile_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osint_kit.testing.hostile import generate

    assert _compare(generate(tmp_path / "hostile", n=400, seed=23), monkeypatch) == 400


def test_same_records_mapped_or_read_on_camera_samples_and_examples(
    camera_samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _compare(files_below(camera_samples, EXAMPLES), monkeypatch) >= 100


def test_same_records_mapped_or_read_on_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """The part of the comparison that also runs in a clone without ../shared."""
    assert _compare(files_below(EXAMPLES), monkeypatch) >= 5


_OPS = st.lists(st.one_of(
    st.tuples(st.just("seek"), st.integers(-40, 300), st.sampled_from([0, 1, 2, 3])),
    st.tuples(st.just("read"), st.one_of(st.none(), st.integers(-2, 300))),
    st.tuples(st.just("tell")),
    st.tuples(st.just("readline")),
), max_size=25)


def _apply(fh: Any, ops: list[tuple[Any, ...]]) -> list[Any]:
    out: list[Any] = []
    for op in ops:
        try:
            if op[0] == "seek":
                out.append(fh.seek(op[1], op[2]))
            elif op[0] == "read":
                out.append(fh.read(op[1]))
            elif op[0] == "tell":
                out.append(fh.tell())
            else:
                out.append(fh.readline())
        except (ValueError, OSError) as err:
            out.append(type(err).__name__)
    return out


@settings(max_examples=150, deadline=None)
@given(data=st.binary(min_size=1, max_size=200), ops=_OPS)
def test_a_mapped_file_reads_and_seeks_as_bytesio_does(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, ops: list[tuple[Any, ...]]
) -> None:
    """Parsers of damaged files seek past the end and expect b"" there (mmap's own seek
    refuses that: 52 of 2,135 files differed before the reader was added)."""
    path = tmp_path_factory.mktemp("map") / "f.bin"
    path.write_bytes(data)
    with map_evidence(path) as mapped:
        assert _apply(as_file(mapped), ops) == _apply(io.BytesIO(data), ops)


@given(st.binary(max_size=40), st.integers(0, 30), st.sampled_from([b"", b"\xff\xd9",
                                                                     b"\xff", b"\xd9"]))
def test_end_of_image_check_looks_only_at_the_end(body: bytes, zeros: int, end: bytes) -> None:
    data = body + end + bytes(zeros)
    expected = data.rstrip(b"\x00").endswith(b"\xff\xd9")
    for block in (1, 2, 3, 4096):  # the marker split across blocks, zeros longer than one
        assert metadata_mod._ends_with_eoi(data, block) is expected


@pytest.mark.parametrize("mapped", [False, True])
def test_zero_padding_after_the_end_marker_is_not_truncation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mapped: bool
) -> None:
    from osint_kit.testing.images import make_image

    whole = make_image(tmp_path / "w.jpg", exif={"Make": "Nikon"}).read_bytes()
    monkeypatch.setattr(metadata_mod, "MAP_BYTES", 0 if mapped else 1 << 62)
    for name, data, truncated in (("padded.jpg", whole + bytes(9000), False),
                                  ("cut.jpg", whole[:-1] + bytes(9000), True)):
        (tmp_path / name).write_bytes(data)
        warnings = read_metadata.here(tmp_path / name).warnings
        assert any("end-of-image" in w for w in warnings) is truncated, name


def test_the_map_is_read_only_and_the_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "scene.tif"
    Image.new("RGB", (8, 8)).save(path, "TIFF")
    before = path.read_bytes()
    with map_evidence(path) as mapped:
        with pytest.raises(TypeError):
            mapped[0] = 1
        assert digests(mapped, md5=True, chunk=mmap.PAGESIZE) == digests(before, md5=True)
    assert path.read_bytes() == before


# peak RSS from VmHWM, not getrusage: ru_maxrss survives exec, so a child started by a big
# test process would report the parent's size
_CHILD = """
import json, re, sys
from osint_kit.media.read.metadata import read_metadata
meta = read_metadata.here(sys.argv[1], md5=False)  # this process's memory
with open("/proc/self/status", encoding="ascii") as fh:
    peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", fh.read()).group(1))
print(json.dumps({"make": meta.make, "width": meta.width, "sha256": meta.sha256,
                  "size": meta.file_size, "rss_mb": peak_kb / 1024}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_an_image_above_the_whole_read_limit_gets_its_record_in_little_memory(
    tmp_path: Path,
) -> None:
    """A TIFF of 1 GiB + 1 MiB (sparse: a small image, then zeros, as a scene's pixel data
    would be): whole reads refused it (ImageTooLargeError) and held up to 1 GiB per worker."""
    path = tmp_path / "scene.tif"
    exif = Image.Exif()
    exif[0x010F] = "SatCam"
    Image.new("RGB", (64, 48), (10, 120, 30)).save(path, "TIFF", exif=exif)
    with path.open("r+b") as fh:
        fh.truncate(MAX_FILE_BYTES + (1 << 20))
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                         text=True, check=True)
    got = json.loads(out.stdout)
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 24):
            sha.update(block)
    assert (got["make"], got["width"], got["size"]) == ("SatCam", 64, MAX_FILE_BYTES + (1 << 20))
    assert got["sha256"] == sha.hexdigest()
    assert got["rss_mb"] < 300, got  # the file is 1,025 MiB; a whole read needs all of it
