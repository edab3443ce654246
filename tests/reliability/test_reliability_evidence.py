"""Evidence is never opened for writing, never touched: bytes, mode and mtime stay as they were.

The tests run as root in CI, where ``chmod 0444`` alone would not stop a write; so every
``open``/``os.open`` (and chmod, utime, rename, unlink, truncate) made during the calls is
recorded, and any write-capable open or metadata change on the evidence path fails the test.
Batch functions run in-process here (``workers=0``) so the recorder sees every call.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class Recorder:
    """Wraps the file-opening and file-changing calls; keeps what touched the watched paths."""

    def __init__(self, watched: set[str]) -> None:
        self.watched = {os.path.realpath(p) for p in watched}
        self.opens: list[tuple[str, str]] = []
        self.violations: list[str] = []

    def _hit(self, path: Any) -> str | None:
        if isinstance(path, int):
            return None
        try:
            real = os.path.realpath(os.fspath(path))
        except TypeError:
            return None
        return real if real in self.watched else None

    def install(self, mp: pytest.MonkeyPatch) -> None:
        real_open, real_os_open = builtins.open, os.open

        def rec_open(file: Any, mode: str = "r", *a: Any, **k: Any) -> Any:
            hit = self._hit(file)
            if hit:
                self.opens.append((hit, mode))
                if any(c in mode for c in "wax+"):
                    self.violations.append(f"open({hit!r}, {mode!r})")
            return real_open(file, mode, *a, **k)

        def rec_os_open(path: Any, flags: int, *a: Any, **k: Any) -> int:
            hit = self._hit(path)
            if hit:
                self.opens.append((hit, f"os.open flags={flags:#o}"))
                if flags & _WRITE_FLAGS:
                    self.violations.append(f"os.open({hit!r}, {flags:#o})")
            return real_os_open(path, flags, *a, **k)

        def changer(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
            def wrapped(path: Any, *a: Any, **k: Any) -> Any:
                hit = self._hit(path)
                if hit:
                    self.violations.append(f"os.{name}({hit!r})")
                return real(path, *a, **k)

            return wrapped

        mp.setattr(builtins, "open", rec_open)
        mp.setattr(io, "open", rec_open)
        mp.setattr(os, "open", rec_os_open)
        for name in ("chmod", "utime", "remove", "unlink", "truncate", "rename", "replace"):
            mp.setattr(os, name, changer(name, getattr(os, name)))


def _fingerprint(path: Path) -> tuple[str, int, int, int]:
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mode, st.st_mtime_ns, st.st_size


@pytest.fixture
def evidence_file(tmp_path: Path) -> Iterator[Path]:
    from osint_kit.testing.images import gps_tags, make_image, xmp_packet

    (tmp_path / "evidence").mkdir()
    path = make_image(
        tmp_path / "evidence" / "photo.jpg",
        size=(64, 48),
        exif={"Make": "Canon", "Model": "EOS R", "DateTimeOriginal": "2022:11:18 10:30:00",
              "OffsetTimeOriginal": "+02:00", "Software": "Adobe Photoshop 24.0"},
        gps=gps_tags(lat=50.4501, lon=30.5234, alt=150.0),
        iptc={"By-line": "someone", "Caption-Abstract": "a caption"},
        xmp=xmp_packet({"xmp:CreatorTool": "Adobe Photoshop 24.0"}),
        thumbnail="auto",
    )
    path.chmod(0o444)
    yield path
    path.chmod(0o644)


def _run_guarded(
    evidence: Path, monkeypatch: pytest.MonkeyPatch, call: Callable[[], Any]
) -> Recorder:
    before = _fingerprint(evidence)
    rec = Recorder({str(evidence)})
    with monkeypatch.context() as mp:
        rec.install(mp)
        call()
    assert rec.violations == [], f"evidence opened for writing or changed: {rec.violations}"
    assert _fingerprint(evidence) == before, "evidence bytes, mode or mtime changed"
    return rec


def test_read_metadata_opens_evidence_read_only(
    evidence_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osint_kit.media.read.metadata import read_metadata

    rec = _run_guarded(evidence_file, monkeypatch, lambda: read_metadata.here(evidence_file))
    assert rec.opens, "the recorder saw no open at all: it is not wired in"


def test_scan_in_process_opens_evidence_read_only(
    evidence_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osint_kit.media.scan import scan

    def call() -> None:
        df = scan(evidence_file.parent, workers=0, progress=False)
        assert df["error"].isna().all(), df["error"].tolist()

    rec = _run_guarded(evidence_file, monkeypatch, call)
    assert rec.opens


def test_hashes_open_evidence_read_only(
    evidence_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osint_kit.media.similar.hashes import image_hashes, perceptual_hashes

    def call() -> None:
        image_hashes.here(evidence_file)  # the recorder sees this process
        df = perceptual_hashes([evidence_file], workers=0, progress=False)
        assert df["error"].isna().all()

    rec = _run_guarded(evidence_file, monkeypatch, call)
    assert rec.opens


def test_inspect_opens_evidence_read_only(
    evidence_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osint_kit.media.forensics import inspect as findings
    # in this process, where the recorder sees every open (the isolated worker's opens are
    # covered by the suite-wide byte-identity check)
    rec = _run_guarded(evidence_file, monkeypatch,
                       lambda: findings.inspect.here(evidence_file))
    assert rec.opens


def test_case_intake_reads_original_read_only(
    evidence_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osint_kit.case import Case

    case = Case.create(tmp_path / "case", title="evidence intake")
    try:
        def call() -> None:
            item = case.add_evidence(evidence_file, source=None, acquired_from="test")
            assert item.sha256 == hashlib.sha256(evidence_file.read_bytes()).hexdigest()

        rec = _run_guarded(evidence_file, monkeypatch, call)
        assert rec.opens
        report = case.verify()
        assert not report.problems, report.problems
    finally:
        case.close()


def test_recorder_catches_a_write(evidence_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard itself works: a write-mode open of the evidence is reported."""
    rec = Recorder({str(evidence_file)})
    with monkeypatch.context() as mp:
        rec.install(mp)
        fd = os.open(evidence_file, os.O_RDWR)
        os.close(fd)
    assert rec.violations and "os.open" in rec.violations[0]
