"""The JPEG header walk (``_jpeg``) gives what Pillow gives, or steps aside.

Every JPEG below is read twice: through the walk (as scans do) and through Pillow's JPEG
plugin (``sniffed=None`` makes ``read_pillow`` skip the walk). Where the walk answers, the
values must be identical; where it declines (IPTC, MPO, odd structure), Pillow answers.
"""

from __future__ import annotations

import io
import struct
from dataclasses import asdict
from pathlib import Path

import pytest
from PIL import Image

from osint_kit.errors import ImageTooLargeError
from osint_kit.media.forensics.c2pa import detect_c2pa
from osint_kit.media.forensics.quality import jpeg_segments
from osint_kit.media.read._jpeg import STANDALONE, iter_segments, read_jpeg_header
from osint_kit.media.read._pillow import TOO_LARGE_NOTE, read_pillow
from osint_kit.media.read.metadata import MAX_PIXELS
from osint_kit.testing import images as synth

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _both(path: Path, data: bytes, with_notes: bool = True) -> bool:
    """Compare walk and Pillow on one file; True when the walk answered."""
    walked = read_jpeg_header(data) is not None
    try:
        fast = asdict(read_pillow(str(path), data, "JPEG", MAX_PIXELS))
    except ImageTooLargeError:
        fast = {"error": "too large"}
    try:
        slow = asdict(read_pillow(str(path), data, None, MAX_PIXELS))
    except ImageTooLargeError:
        slow = {"error": "too large"}
        # Pillow refuses to open a size above its bomb limit; the walk reads the header and
        # notes the size instead (the metadata of a 200 MP photo is still read)
        if any(n.startswith(TOO_LARGE_NOTE) for n in fast.get("notes", ())):
            return walked
    if not with_notes:
        fast.pop("notes", None)
        slow.pop("notes", None)
    assert fast == slow, path.name
    return walked


def _jpegs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and p.read_bytes()[:3] == b"\xff\xd8\xff")


def test_walk_equals_pillow_on_camera_jpegs(camera_samples: Path) -> None:
    paths = _jpegs(camera_samples)
    walked = sum(_both(p, p.read_bytes()) for p in paths)
    assert len(paths) >= 80
    assert walked >= len(paths) * 0.6  # most camera JPEGs are plain; IPTC/MPO ones go to Pillow


def test_walk_equals_pillow_on_example_evidence() -> None:
    paths = _jpegs(EXAMPLES)
    assert paths
    for p in paths:
        _both(p, p.read_bytes())


def test_walk_on_generated_jpegs_with_every_segment(tmp_path: Path) -> None:
    """ICC in several chunks, XMP, comment, EXIF with thumbnail, progressive, grey, CMYK."""
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    cases = []
    for mode in ("RGB", "L", "CMYK"):
        for progressive in (False, True):
            buf = io.BytesIO()
            im = synth.pattern((96, 64)).convert(mode)
            im.save(buf, "JPEG", quality=80, progressive=progressive, comment=b"a comment",
                    exif=synth.build_exif({"Make": "Test", "Model": mode}),
                    xmp=synth.xmp_packet({"xmp:CreatorTool": "t"}).encode(),
                    icc_profile=icc if mode == "RGB" else None)
            cases.append(buf.getvalue())
    # an ICC profile split over three APP2 chunks, out of order
    chunks = [icc[i : i + 200] for i in range(0, 600, 200)]
    segs = b"".join(
        b"\xff\xe2" + (len(c) + 16).to_bytes(2, "big") + b"ICC_PROFILE\x00" + bytes([k + 1, 3]) + c
        for k, c in reversed(list(enumerate(chunks))))
    base = cases[2]  # greyscale: no ICC profile of its own
    cases.append(base[:2] + segs + base[2:])
    # wrong chunk count: Pillow drops the profile, so must the walk
    bad = b"\xff\xe2" + (len(icc[:100]) + 16).to_bytes(2, "big") + b"ICC_PROFILE\x00\x01\x02" + icc[:100]
    cases.append(base[:2] + bad + base[2:])
    for i, data in enumerate(cases):
        assert _both(tmp_path / f"c{i}.jpg", data), i
    assert read_jpeg_header(cases[-2]) is not None
    assert read_jpeg_header(cases[-2]).icc == icc[:600]  # type: ignore[union-attr]
    assert read_jpeg_header(cases[-1]).icc is None  # type: ignore[union-attr]


def test_walk_reads_iptc_like_pillow(tmp_path: Path) -> None:
    iim = synth.build_iim({"By-line": "X", "Keywords": ["a", "b"], "City": "Kyiv"})
    buf = io.BytesIO()
    synth.pattern().save(buf, "JPEG")
    data = buf.getvalue()
    app13 = synth.photoshop_app13(iim)
    with_iptc = data[:2] + app13 + data[2:]
    assert read_jpeg_header(with_iptc) is not None
    assert _both(tmp_path / "iptc.jpg", with_iptc)
    assert read_pillow("x.jpg", with_iptc, "JPEG", MAX_PIXELS).iptc["IPTC By-line"] == ("X",)
    # a resource running past the segment end: Pillow stops there, the walk steps aside
    cut = app13[:-6]
    cut = cut[:2] + (len(cut) - 2).to_bytes(2, "big") + cut[4:]
    short = data[:2] + cut + data[2:]
    assert _both(tmp_path / "short.jpg", short) in (True, False)


def test_walk_declines_mpo() -> None:
    mpo = io.BytesIO()
    frames = [synth.pattern(seed=1), synth.pattern(seed=2)]
    frames[0].save(mpo, "MPO", save_all=True, append_images=frames[1:])
    assert read_jpeg_header(mpo.getvalue()) is None
    assert read_pillow("x.jpg", mpo.getvalue(), "JPEG", MAX_PIXELS).text["File Multi-Picture"]


def test_walk_and_pillow_agree_on_hostile_jpegs(tmp_path: Path) -> None:
    from osint_kit.testing.hostile import iter_hostile

    walked = total = 0
    for _family, name, data in iter_hostile(600, seed=9):
        if data[:3] != b"\xff\xd8\xff":
            continue
        total += 1
        # Pillow also warns about EXIF it parses for the resolution; the walk does not
        walked += _both(tmp_path / name, data, with_notes=False)
    assert total > 150 and walked > 0


@pytest.mark.parametrize("cut", [3, 4, 6, 20, 200])
def test_truncated_headers_decline(cut: int) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG", exif=synth.build_exif({"Make": "M"}))
    assert read_jpeg_header(buf.getvalue()[:cut]) is None


# --- one walk: the header reader, the segment list and the C2PA search agree --------------


def _app11_c2pa() -> bytes:
    """An APP11 JPEG-XT segment holding a JUMBF box labelled "c2pa"."""
    jumd = b"jumd" + bytes(16) + b"\x03" + b"c2pa\x00"
    box = struct.pack(">I", len(jumd) + 8) + b"jumb" + jumd
    body = b"JP\x00\x01" + struct.pack(">I", 1) + box
    return b"\xff\xeb" + struct.pack(">H", len(body) + 2) + body


def _one_walk(data: bytes) -> None:
    """What the segment list, the C2PA search and the header reader see is one walk."""
    walk = [(m, pos) for m, pos, _end in iter_segments(data)
            if m not in STANDALONE and m != 0xFF]
    listed = jpeg_segments(data)
    assert [pos for _n, pos, _i in listed] == [pos for _m, pos in walk][:len(listed)]
    det = detect_c2pa(data)
    if det.found and det.container == "jpeg-app11":
        assert ("APP11", det.offset) in [(n, pos) for n, pos, _i in listed]
    head = read_jpeg_header(data)
    if head is not None:
        sof = next(pos for name, pos, _i in listed if name.startswith("SOF"))
        assert (head.height, head.width) == struct.unpack(">HH", data[sof + 5 : sof + 9])
        assert listed[-1][0] == "SOS"


def test_one_walk_over_camera_hostile_and_padded_files(camera_samples: Path) -> None:
    """Fill bytes and markers without a length (RSTn, TEM) before the metadata: the segment
    list once read them as segments with a length and stopped, while the C2PA search stepped
    over them, so a manifest found by one was missing from the other."""
    from osint_kit.testing.hostile import iter_hostile

    plain = [p.read_bytes()[:300_000] for p in _jpegs(camera_samples)]
    files = list(plain)
    for data in plain[:10]:
        with_c2pa = data[:2] + _app11_c2pa() + data[2:]
        files += [with_c2pa, data[:2] + b"\xff\xff\xff" + with_c2pa[2:],
                  data[:2] + b"\xff\xd3" + with_c2pa[2:], data[:2] + b"\xff\x01" + with_c2pa[2:]]
    files += [d for _f, _n, d in iter_hostile(600, seed=5, samples=camera_samples)
              if d[:2] == b"\xff\xd8"]
    for data in files:
        _one_walk(data)
    padded = files[len(plain) + 3]  # TEM, then the APP11 manifest
    assert detect_c2pa(padded).offset == 4 and jpeg_segments(padded)[0] == ("APP11", 4, "JP")
    assert read_jpeg_header(padded) is None  # Pillow's own handling of the odd marker
