"""Error messages never quote bytes of files outside the scanned folder (issue 19 item 16).

An evidence folder from someone else can hold links (``photo.jpg -> ~/.ssh/id_ed25519``):
the scan must not copy the first bytes of their targets into its table, which is shared.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from osint_kit.errors import UnsupportedFormatError
from osint_kit.media.read.metadata import read_metadata
from osint_kit.media.scan import scan

SECRET = b"SECRETKEY-0123456789"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_bytes_of_link_targets_outside_are_not_quoted(tmp_path: Path) -> None:
    outside = tmp_path / "home" / "id_key"
    outside.parent.mkdir()
    outside.write_bytes(SECRET)
    folder = tmp_path / "evidence"
    (folder / "sub").mkdir(parents=True)
    (folder / "photo.jpg").symlink_to(outside)
    (folder / "sub" / "up.jpg").symlink_to(folder.parent / "home" / "id_key")
    (folder / "notes.jpg").write_bytes(b"HELLOWORLD-not-an-image")
    (folder / "same.jpg").symlink_to(folder / "notes.jpg")

    df = scan(folder, workers=0).set_index("file_name")
    for name in ("photo.jpg", "up.jpg"):
        error = str(df.loc[name, "error"])
        assert "not an image" in error
        assert "SECRET" not in error and "SECR" not in error, error
    assert "starts with b'HELLOWOR'" in str(df.loc["notes.jpg", "error"])
    assert "starts with b'HELLOWOR'" in str(df.loc["same.jpg", "error"])
    with pytest.raises(UnsupportedFormatError) as err:
        read_metadata.here(folder / "photo.jpg")
    assert "SECR" not in str(err.value)
