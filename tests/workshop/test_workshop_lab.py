"""`make lab`'s working copies: made from the sources, unpaired, user edits kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osint_kit.errors import WorkshopError
from osint_kit.workshop.lab import main, prepare_lab

ROOT = Path(__file__).resolve().parents[2]


def test_working_copies_are_unpaired_and_follow_untouched_sources(tmp_path: Path) -> None:
    src, dest = tmp_path / "notebooks", tmp_path / "build" / "lab"
    src.mkdir()
    source = (ROOT / "notebooks" / "00_start_here.py").read_text(encoding="utf-8")
    (src / "00_start_here.py").write_text(source, encoding="utf-8")
    (src / "helper.py").write_text("x = 1\n", encoding="utf-8")  # not a notebook
    first = prepare_lab(src, dest)
    assert first.created == ("00_start_here.ipynb",)
    copy = dest / "00_start_here.ipynb"
    nb = json.loads(copy.read_text(encoding="utf-8"))
    assert "jupytext" not in nb["metadata"]  # Lab saves the .ipynb only, never a paired .py
    assert sorted(p.name for p in src.iterdir()) == ["00_start_here.py", "helper.py"]
    assert prepare_lab(src, dest).unchanged == ("00_start_here.ipynb",)

    (src / "00_start_here.py").write_text(source + "\n# %%\nprint('new cell')\n",
                                          encoding="utf-8")
    assert prepare_lab(src, dest).refreshed == ("00_start_here.ipynb",)
    assert "new cell" in copy.read_text(encoding="utf-8")

    copy.write_text(copy.read_text(encoding="utf-8").replace("new cell", "my edit"),
                    encoding="utf-8")
    (src / "00_start_here.py").write_text(source, encoding="utf-8")
    assert prepare_lab(src, dest).kept == ("00_start_here.ipynb",)
    assert "my edit" in copy.read_text(encoding="utf-8")  # the user's work is never lost


def test_refuses_odd_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(WorkshopError, match="no jupytext"):
        prepare_lab(tmp_path / "none", tmp_path / "lab")
    with pytest.raises(WorkshopError, match="must not be the notebooks folder"):
        prepare_lab(ROOT / "notebooks", ROOT / "notebooks")
    assert main([str(tmp_path / "none"), str(tmp_path / "lab")]) == 2
    assert "no jupytext" in capsys.readouterr().err
