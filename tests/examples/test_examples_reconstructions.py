"""The reconstructions: reproducible pixels and metadata, labelled, small, true to the Sun."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from PIL import ExifTags, Image

from osint_kit.media.read.metadata import read_metadata

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EVIDENCE = EXAMPLES / "evidence"
LABEL = "RECONSTRUCTION FOR TEACHING - not the released image"
FIELDS = ("format", "width", "height", "make", "model", "software", "datetime_original",
          "offset_original", "datetime_modified", "artist", "image_description",
          "iptc_byline", "iptc_credit", "iptc_caption", "iptc_city", "iptc_date_created",
          "iptc_keywords", "xmp_creator_tool", "xmp_history", "xmp_document_id", "has_exif",
          "has_iptc", "has_xmp", "has_thumbnail", "thumbnail_bytes_len")


def _script() -> ModuleType:
    sys.dont_write_bytecode = True  # never leave __pycache__ in examples/
    try:
        spec = importlib.util.spec_from_file_location("make_reconstructions",
                                                      EXAMPLES / "make_reconstructions.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.dont_write_bytecode = False


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("recon")
    truth = _script().build(out, out / "truth.json")
    return out, truth


def _committed() -> list[Path]:
    return sorted(EVIDENCE.glob("*.jpg"))


def test_five_committed_files_small() -> None:
    files = _committed()
    assert len(files) == 5
    assert all(p.stat().st_size < 300_000 for p in files)


def test_rerun_reproduces_pixels_and_metadata(regenerated: tuple[Path, dict]) -> None:
    out, _truth = regenerated
    assert sorted(p.name for p in out.glob("*.jpg")) == [p.name for p in _committed()]
    for committed in _committed():
        fresh = out / committed.name
        with Image.open(committed) as a, Image.open(fresh) as b:
            assert np.array_equal(np.asarray(a), np.asarray(b)), committed.name
        ma, mb = read_metadata(committed), read_metadata(fresh)
        for field in FIELDS:
            assert getattr(ma, field) == getattr(mb, field), (committed.name, field)
    stored = json.loads((EXAMPLES / "reconstructions_truth.json").read_text())
    assert stored == json.loads((out / "truth.json").read_text())


@pytest.mark.parametrize("path", _committed(), ids=lambda p: p.name)
def test_labelled_in_metadata_and_pixels(path: Path) -> None:
    meta = read_metadata(path)
    texts = [meta.image_description or "", meta.iptc_caption or "", *meta.raw.values()]
    assert any(LABEL in t for t in texts), path.name
    if meta.has_exif:
        assert LABEL in (meta.image_description or "")
        assert LABEL in (meta.iptc_caption or "")
    with Image.open(path) as im:
        top = np.asarray(im.convert("RGB"))[2:10].reshape(-1, 3).mean(axis=0)
    assert top[0] > 120 and top[1] < 80 and top[2] < 80  # the red banner with the label


def test_agency_photo_fields() -> None:
    meta = read_metadata(EVIDENCE / "briefing_agency_photo_reconstruction.jpg")
    assert meta.offset_original == "-05:00"
    assert meta.datetime_original == dt.datetime(2023, 1, 20, 13, 47, 12,
                                                 tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert "fictional" in (meta.iptc_byline or "").lower()
    assert (meta.iptc_credit or "").startswith("PAP/EPA/")
    assert meta.has_thumbnail


def test_repost_stripped_and_edited_copy_marked() -> None:
    repost = read_metadata(EVIDENCE / "briefing_reposted_social_copy_reconstruction.jpg")
    assert not (repost.has_exif or repost.has_iptc or repost.has_xmp)
    assert (repost.width, repost.height) == (720, 480)
    edited = read_metadata(EVIDENCE / "briefing_edited_copy_reconstruction.jpg")
    assert (edited.software or "").startswith("Adobe Photoshop")
    assert len(edited.xmp_history) == 2


def _thumbnail(path: Path) -> Image.Image:
    with Image.open(path) as im:
        exif = im.getexif()
        ifd1 = exif.get_ifd(ExifTags.IFD.IFD1)
        raw = im.info["exif"][6:]
    start, length = ifd1[0x0201], ifd1[0x0202]
    with Image.open(io.BytesIO(raw[start:start + length])) as thumb:
        return thumb.convert("RGB")


def test_edited_copy_has_stale_thumbnail() -> None:
    agency = EVIDENCE / "briefing_agency_photo_reconstruction.jpg"
    edited = EVIDENCE / "briefing_edited_copy_reconstruction.jpg"
    # the edited copy still embeds the camera's thumbnail of the unedited picture ...
    assert np.array_equal(np.asarray(_thumbnail(agency)), np.asarray(_thumbnail(edited)))
    # ... while its pixels differ from the original where the date on the screen was changed
    with Image.open(agency) as a, Image.open(edited) as b:
        pa = np.asarray(a.convert("RGB"), dtype=float)
        pb = np.asarray(b.convert("RGB"), dtype=float)
    assert pb.shape[1] < pa.shape[1]  # cropped: the thumbnail's aspect no longer fits
    diff = np.abs(pa[:, : pb.shape[1]] - pb).mean(axis=2)
    assert diff[370:418, 90:450].mean() > 10 * max(diff[500:, :].mean(), 0.1)


def test_shadows_recover_the_chosen_time() -> None:
    from osint_kit.geo import chronolocate

    truth = json.loads((EXAMPLES / "reconstructions_truth.json").read_text())
    for item in truth["overheads"]:
        local = dt.datetime.fromisoformat(item["local_time"])
        windows = chronolocate((truth["site"]["lat"], truth["site"]["lon"]), local.date(),
                               item["shadow_bearing_deg"], azimuth_tol=1.0,
                               length_ratio=item["shadow_length_over_height"], ratio_tol=0.03,
                               tz="Asia/Pyongyang")
        assert len(windows) == 1
        assert windows["start"].iloc[0] <= local <= windows["end"].iloc[0]
