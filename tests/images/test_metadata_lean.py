"""The scan's lean read (``md5=False, raw=False``) gives the same normalised record as the
full read, on real camera files, the example evidence and hostile files.

The lean read decodes only the EXIF tags the normalised fields are made of (``EXIF_KEYS``)
and tries the sniffed Pillow plugin first; this test is what allows those shortcuts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from osint_kit.errors import EvidenceError
from osint_kit.media.read.metadata import EXIF_KEYS, read_metadata

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _outcome(path: Path, **kw: bool) -> dict[str, Any] | str:
    try:
        record = read_metadata(path, **kw).to_record()
    except EvidenceError as err:
        return f"{type(err).__name__}: {err}"
    record.pop("md5")
    record["provenance"] = record["provenance"].replace(', "md5": "file bytes"', "")
    return record


def _compare(paths: list[Path]) -> int:
    compared = 0
    for p in paths:
        full, lean = _outcome(p), _outcome(p, md5=False, raw=False)
        assert lean == full, p.name
        compared += 1
    return compared


def test_lean_equals_full_on_camera_samples(camera_samples: Path) -> None:
    paths = sorted(p for p in camera_samples.rglob("*") if p.is_file())
    assert _compare(paths) == len(paths) >= 100


def test_lean_equals_full_on_example_evidence() -> None:
    paths = sorted(p for p in EXAMPLES.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    assert _compare(paths) == len(paths) >= 5


def test_lean_equals_full_on_hostile_files(tmp_path: Path) -> None:
    from osint_kit.testing.hostile import generate

    paths = generate(tmp_path / "hostile", n=400, seed=5)
    assert _compare(paths) == 400


def test_lean_read_leaves_md5_and_raw_dump_out(camera_samples: Path) -> None:
    path = next(p for p in sorted(camera_samples.rglob("*.jpg")) if read_metadata(p).make)
    lean = read_metadata(path, md5=False, raw=False)
    full = read_metadata(path)
    assert lean.md5 is None and len(full.md5 or "") == 32
    assert not any(k.startswith(("Image ", "EXIF ", "GPS ")) for k in lean.raw)
    assert any(k.startswith("EXIF ") for k in full.raw)


@pytest.mark.parametrize("key", sorted(EXIF_KEYS))
def test_every_wanted_key_is_a_real_exifread_name(key: str) -> None:
    """A typo in EXIF_KEYS would silently drop a field from every scan."""
    from exifread.tags.exif import EXIF_TAGS, GPS_TAGS

    ifd, _, name = key.partition(" ")
    table = GPS_TAGS if ifd == "GPS" else EXIF_TAGS
    assert ifd in ("Image", "EXIF", "GPS", "Thumbnail")
    assert name in {entry[0] for entry in table.values()}


def _tag_pairs(paths: list[Path]) -> tuple[int, int]:
    """Compare the lean decoder's tags with exifread's own decoding of the same tags."""
    from osint_kit.media.read._exif import read_exif
    from osint_kit.media.read._pillow import read_pillow, sniff_format
    from osint_kit.media.read.metadata import MAX_PIXELS

    files = compared = 0
    for p in paths:
        data = p.read_bytes()
        try:
            payload = read_pillow(str(p), data, sniff_format(data), MAX_PIXELS).exif
        except EvidenceError:
            continue
        full = read_exif(data, payload)
        lean = read_exif(data, payload, wanted=EXIF_KEYS)
        files += 1
        for key in EXIF_KEYS & set(full.tags):  # lean must decode every wanted tag exifread did
            assert key in lean.tags, (p.name, key)
        for key, tag in lean.tags.items():
            if key not in full.tags:
                continue  # exifread's value budget skipped that IFD in the full pass
            ref = full.tags[key]
            assert (repr(tag.values), tag.printable, tag.field_type, tag.field_offset) == (
                repr(ref.values), ref.printable, ref.field_type, ref.field_offset), (p.name, key)
            compared += 1
        assert lean.thumbnail == full.thumbnail and lean.user_comment == full.user_comment
    return files, compared


def test_lean_decoder_matches_exifread_tag_by_tag(camera_samples: Path, tmp_path: Path) -> None:
    from osint_kit.testing.hostile import generate

    camera = sorted(p for p in camera_samples.rglob("*") if p.is_file())
    files, compared = _tag_pairs(camera)
    assert files >= 100 and compared >= 800
    examples = sorted(p for p in EXAMPLES.rglob("*") if p.suffix.lower() in (".jpg", ".png"))
    assert _tag_pairs(examples)[1] > 0
    # mutated camera files (truncated, bit flips...) and crafted IFDs
    hostile = generate(tmp_path / "hostile", n=800, seed=21, samples=camera_samples)
    files, compared = _tag_pairs(hostile)
    assert compared > 1000


def test_every_tag_the_fields_read_is_decoded() -> None:
    """``EXIF_KEYS`` repeats the keys ``_exif_fields`` reads; a key missing there would leave
    its field silently empty in every scan. Record what the field code asks for."""
    from osint_kit.media.read.metadata import _exif_fields

    seen: set[str] = set()

    class Asked(dict[str, Any]):
        def get(self, key: str, default: Any = None) -> Any:
            seen.add(key)
            return default

    _exif_fields(Asked(), {}, {}, [])
    assert len(seen) > 30
    assert seen <= EXIF_KEYS, sorted(seen - EXIF_KEYS)
