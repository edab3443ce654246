from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from osint_kit._io import read_evidence, sha256_file, stat_evidence
from osint_kit.errors import EmptyFileError, ImageTooLargeError, NotAFileError


def test_missing_directory_empty_and_loop(tmp_path: Path) -> None:
    with pytest.raises(NotAFileError, match="no such file"):
        stat_evidence(tmp_path / "nope")
    with pytest.raises(NotAFileError, match="directory"):
        stat_evidence(tmp_path)
    (tmp_path / "empty").write_bytes(b"")
    with pytest.raises(EmptyFileError):
        read_evidence(tmp_path / "empty")
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    with pytest.raises(NotAFileError, match="symlink loop"):
        read_evidence(tmp_path / "loop")


def test_size_limit_and_hash(tmp_path: Path) -> None:
    f = tmp_path / "f.bin"
    f.write_bytes(b"x" * 100)
    with pytest.raises(ImageTooLargeError):
        read_evidence(f, max_bytes=10)
    assert read_evidence(f) == b"x" * 100
    assert sha256_file(f) == hashlib.sha256(b"x" * 100).hexdigest()
