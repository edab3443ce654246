"""Issue 23.6: video intake with hashes and custody like photos; keyframes as derived working
copies linked to their video; the report shows the video's metadata and a contact sheet."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from case_factory import make_png

from osint_kit.case import Case
from osint_kit.case.video import derivation_text, frame_of
from osint_kit.errors import CaseError, CorruptImageError
from osint_kit.testing.videos import make_clip

EXIFTOOL = shutil.which("exiftool")
HOSTILE = "<script>window.__pwned=1</script>\"'><img src=x onerror=1>|*_[x](javascript:y)"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fingerprint(path: Path) -> tuple[str, int, int]:
    st = os.stat(path)
    return _sha(path), st.st_mtime_ns, st.st_mode


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    """3 s at 25 fps with a keyframe every second (0, 1, 2 s), an FFmpeg creation time."""
    files = tmp_path / "files"
    files.mkdir()
    return make_clip(files / "clip.mp4", seconds=3, size=(160, 120), gop=25,
                     metadata={"creation_time": "2022-11-18T08:30:00.000000Z"})


def test_video_intake_is_hashed_read_only_and_read_from_the_stored_copy(
        clip: Path, tmp_path: Path) -> None:
    before = _fingerprint(clip)
    with Case.create(tmp_path / "case", title="v", actor="ana") as case:
        item = case.add_evidence(clip, acquired_from="https://t.me/x/1")
        assert _fingerprint(clip) == before
        stored = case.evidence_path(item.id)
        assert stat.S_IMODE(os.stat(stored).st_mode) == 0o444
        assert item.sha256 == _sha(clip) == _sha(stored) and item.size == clip.stat().st_size
        log = case.custody()
        intake = log[(log["action"] == "intake") & (log["record_id"] == item.id)]
        assert len(intake) == 1 and intake.iloc[0]["details"]["sha256"] == item.sha256
        record = case.get("evidence", item.id)
        assert item.metadata_error is None
        meta = json.loads(record["metadata"])
        assert meta["kind"] == "video" and meta["file_name"] == "clip.mp4"
        assert "path" not in meta  # the object's path says nothing about the evidence
        assert meta["created_utc"] == "2022-11-18T08:30:00+00:00"
        assert meta["provenance"]["created_utc"].startswith("mvhd")
        assert (meta["width"], meta["height"], meta["duration_s"]) == (160, 120, 3.0)
        findings = case.table("findings")
        assert set(findings["origin"]) == {"osint_kit.media.forensics.video_rules.video_findings"}
        assert "video_software_encoded" in set(findings["code"])  # Lavf, no device
        assert item.findings == len(findings)
        assert case.verify().ok


def test_keyframes_are_derived_working_copies_and_the_video_is_unchanged(
        clip: Path, tmp_path: Path) -> None:
    with Case.create(tmp_path / "case", title="v") as case:
        video = case.add_evidence(clip)
        stored = case.evidence_path(video.id)
        before = (_fingerprint(clip), _fingerprint(stored), case.get("evidence", video.id))
        frames = case.add_keyframes(video.id)
        assert before == (_fingerprint(clip), _fingerprint(stored),
                          case.get("evidence", video.id))
        assert [frame_of(case.get("evidence", f.id)["derivation"]) for f in frames] == [
            (0.0, "keyframe"), (1.0, "keyframe"), (2.0, "keyframe")]
        log = case.custody()
        for frame in frames:
            record = case.get("evidence", frame.id)
            assert (record["role"], record["parent_id"]) == ("working", video.id)
            assert record["original_name"].startswith(f"clip_{video.sha256[:8]}_t")
            assert record["original_path"] is None  # the temporary folder is no origin
            assert _sha(case.evidence_path(frame.id)) == frame.sha256
            assert case.evidence_path(frame.id).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            entry = log[log["record_id"] == frame.id]
            assert list(entry["action"]) == ["derive"]
            details = entry.iloc[0]["details"]
            assert details["from"] == video.id and details["from_sha256"] == video.sha256
            assert details["frame_time_s"] == frame_of(record["derivation"])[0]  # type: ignore[index]
            assert details["method"] == "osint_kit.media.frames.keyframes"
            assert details["fixed"]["sha256"] == frame.sha256
        # again: the same frames are returned, nothing is added or logged
        length = len(log)
        again = case.add_keyframes(video.id)
        assert [f.id for f in again] == [f.id for f in frames]
        assert len(case.custody()) == length
        # one frame every 0.5 s adds the frames between the keyframes
        more = case.add_keyframes(video.id, every=0.5)
        said = [frame_of(case.get("evidence", f.id)["derivation"]) for f in more]
        assert [t for t, _why in said] == [0.0, 0.52, 1.0, 1.52, 2.0, 2.52]  # type: ignore[misc]
        assert [f.id for f in more[::2]] == [f.id for f in frames]  # the same pixels, same time
        assert {why for _t, why in said[1::2]} == {"every 0.5 s"}  # type: ignore[misc]
        assert _fingerprint(stored) == before[1]
        assert case.verify().ok


def test_keyframes_of_what_is_no_video_or_is_broken(clip: Path, tmp_path: Path) -> None:
    broken = tmp_path / "files" / "broken.mp4"
    broken.write_bytes(clip.read_bytes()[: clip.stat().st_size // 3])
    with Case.create(tmp_path / "case", title="v") as case:
        photo = case.add_evidence(make_png(tmp_path / "files" / "p.png"))
        with pytest.raises(CaseError, match="not a video"):
            case.add_keyframes(photo.id)
        bad = case.add_evidence(broken)
        with pytest.raises(CorruptImageError):
            case.add_keyframes(bad.id)
        kept = case.add_keyframes(bad.id, partial=True)  # the frames before the damage
        assert kept and all(case.get("evidence", f.id)["parent_id"] == bad.id for f in kept)
        assert case.custody()["details"].iloc[-1]["options"]["partial"] is True
        assert case.verify().ok


def test_frames_must_come_from_the_bytes_taken_in(
        clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from osint_kit.media import frames as frames_module

    real = frames_module.keyframes

    def other_bytes(*args: object, **kwargs: object) -> list[frames_module.Frame]:
        return [dataclasses.replace(f, video_sha256="0" * 64)
                for f in real(*args, **kwargs)]  # type: ignore[arg-type]

    with Case.create(tmp_path / "case", title="v") as case:
        video = case.add_evidence(clip)
        monkeypatch.setattr(frames_module, "keyframes", other_bytes)
        length = len(case.custody())
        with pytest.raises(CaseError, match="did not hash to its intake SHA-256"):
            case.add_keyframes(video.id)
        assert len(case.custody()) == length


def test_derivation_text_round_trip() -> None:
    assert frame_of(derivation_text(12.3456, "every 2 s")) == (12.346, "every 2 s")
    assert frame_of(derivation_text(1.0, "scene change (41.2)")) == (1.0, "scene change [41.2]")
    assert frame_of("crop 0,0,10,10") is None and frame_of(None) is None


def test_report_shows_video_metadata_and_contact_sheet(clip: Path, tmp_path: Path) -> None:
    tagged = clip
    if EXIFTOOL:  # a hostile phone: every text the summary shows comes from the file
        tagged = clip.with_name("phone.mov")
        shutil.copyfile(clip, tagged)
        subprocess.run([EXIFTOOL, "-q", "-overwrite_original", f"-Keys:Make={HOSTILE}",
                        f"-Keys:Model={HOSTILE}", "-Keys:CreationDate=2022:11:18 10:30:00+02:00",
                        "-Keys:GPSCoordinates=50.45, 30.52, 100", str(tagged)],
                       check=True, capture_output=True)
    with Case.create(tmp_path / "case", title="v") as case:
        video = case.add_evidence(tagged)
        frames = case.add_keyframes(video.id)
        html_path, md_path = case.report(tmp_path / "report.html")
    page = html_path.read_text(encoding="utf-8")
    md = md_path.read_text(encoding="utf-8")
    card = page[page.index(f'id="ev-{video.id}"'):]
    card = card[: card.index("</article>")]
    assert "Video: what the file says" in card and "from mvhd duration / time scale" in card
    assert "160 x 120 px" in card and "3.000 s" in card
    sheet = re.findall(r"<figure><img src=\"data:image/jpeg;base64,[^\"]+\" alt=\"Frame (E\d+) "
                       r"at (\d:\d\d:\d\d\.\d\d\d) of " + video.id, card)
    assert sheet == [(f.id, t) for f, t in zip(
        frames, ("0:00:00.000", "0:00:01.000", "0:00:02.000"), strict=True)]
    for frame in frames:  # on the sheet, not as cards of their own; hashes in the appendix
        assert f'id="ev-{frame.id}"' not in page and frame.sha256 in page
        assert f"| {frame.id} | " in md
    assert "Frames (working copies, not evidence as acquired): 3 taken into the case" in md
    if EXIFTOOL:
        assert "from Keys:com.apple.quicktime.make" in card
        assert "<script>window" not in page and "onerror=1>" not in page
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in card
        assert "50.45000, 30.52000" in card and "2022-11-18T10:30:00+02:00" in card
        assert "<script>" not in md and "\\<script\\>" in md


def test_report_without_frames_says_so(clip: Path, tmp_path: Path) -> None:
    with Case.create(tmp_path / "case", title="v") as case:
        case.add_evidence(clip)
        html_path, md_path = case.report(tmp_path / "report.html")
    assert "No frames taken into the case" in html_path.read_text(encoding="utf-8")
    assert "a video: no frames taken into the case yet" in html_path.read_text(encoding="utf-8")
    assert "Frames: none taken into the case" in md_path.read_text(encoding="utf-8")


def test_export_and_import_keep_frames_linked(clip: Path, tmp_path: Path) -> None:
    with Case.create(tmp_path / "case", title="v") as case:
        video = case.add_evidence(clip)
        frames = case.add_keyframes(video.id)
        zipped = case.export(tmp_path / "case.zip")
    with Case.import_(zipped, tmp_path / "copy") as copy:
        assert copy.verify().ok
        for frame in frames:
            assert copy.get("evidence", frame.id)["parent_id"] == video.id
            assert _sha(copy.evidence_path(frame.id)) == frame.sha256


def test_hostile_videos_are_taken_in_and_never_escape_the_error_tree(tmp_path: Path) -> None:
    """Every file of the hostile-video generator: taken in (metadata or the reason it has none
    recorded), keyframes refused with a typed error or taken, the files unchanged."""
    from osint_kit.errors import EvidenceError
    from osint_kit.testing.hostile_video import write_hostile_videos

    written = [(p, why) for p, why in write_hostile_videos(tmp_path / "hostile")
               if why != "EmptyFileError"]  # an empty file is refused at intake (tested above)
    before = {p: _fingerprint(p) for p, _why in written}
    outcomes: dict[str, int] = {}
    with Case.create(tmp_path / "case", title="hostile") as case:
        for path, _why in written:
            item = case.add_evidence(path)
            record = case.get("evidence", item.id)
            assert record["metadata"] or record["metadata_error"], path.name
            try:
                case.add_keyframes(item.id, max_frames=5)
                outcome = "frames"
            except (CaseError, EvidenceError) as err:
                outcome = type(err).__name__
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        assert case.verify().ok
    assert {p: _fingerprint(p) for p, _why in written} == before
    assert sum(outcomes.values()) == len(written) and outcomes.get("CaseError", 0) > 0


@pytest.mark.parametrize("suffix", [".webm", ".avi", ".3gp", ".mkv"])
def test_other_containers_are_taken_in_as_video(suffix: str, tmp_path: Path) -> None:
    clip = make_clip(tmp_path / f"clip{suffix}", seconds=2, size=(96, 64), gop=25)
    with Case.create(tmp_path / "case", title="v") as case:
        item = case.add_evidence(clip)
        meta = json.loads(case.get("evidence", item.id)["metadata"])
        assert meta["kind"] == "video" and (meta["width"], meta["height"]) == (96, 64)
        frames = case.add_keyframes(item.id)
        assert [frame_of(case.get("evidence", f.id)["derivation"]) for f in frames] == [
            (0.0, "keyframe"), (1.0, "keyframe")]
        assert _sha(case.evidence_path(item.id)) == _sha(clip) == item.sha256
        assert case.verify().ok
