"""Student builds: solutions replaced by placeholders, teacher versions unchanged, CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from osint_kit.cli import main as cli_main
from osint_kit.errors import WorkshopError
from osint_kit.workshop.build import build_student, placeholder_source

sys.path.insert(0, str(Path(__file__).parents[1] / "notebooks"))
from nbrun import NOTEBOOKS, execute, text_outputs


def test_placeholder_keeps_names_and_checks() -> None:
    src = ("import math\n"
           "tip = (659, 466)\n"
           "bearing = math.degrees(math.atan2(1, 2))\n"
           "x: int = 3\n"
           "print(bearing)\n"
           "check('shadow_bearing_18nov', bearing)\n")
    out = placeholder_source(src)
    assert "tip = ...  # your answer" in out
    assert "bearing = ...  # your answer" in out
    assert "x = ...  # your answer" in out
    assert "check('shadow_bearing_18nov', bearing)" in out
    assert "659" not in out and "atan2" not in out and "print" not in out
    compile(out, "<student>", "exec")


def test_placeholder_rejects_invalid_python() -> None:
    with pytest.raises(WorkshopError):
        placeholder_source("x = (")


def test_build_student_hides_solutions(tmp_path: Path) -> None:
    student, teacher = tmp_path / "student", tmp_path / "teacher"
    written = build_student(NOTEBOOKS, student, teacher_dir=teacher)
    assert [p.name for p in written] == sorted(p.name for p in NOTEBOOKS.glob("0*.ipynb"))
    n_solutions = 0
    for path in written:
        nb = nbformat.read(path, as_version=4)
        tnb = nbformat.read(teacher / path.name, as_version=4)
        assert len(nb.cells) == len(tnb.cells)
        for cell, tcell in zip(nb.cells, tnb.cells, strict=True):
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
            if "solution" in cell.metadata.get("tags", []):
                n_solutions += 1
                assert "# your answer" in cell.source
                assert cell.source != tcell.source
            else:
                assert cell.source == tcell.source
    assert n_solutions >= 12
    five = (student / "05_place_and_time.ipynb").read_text()
    assert "(659, 466)" not in five
    assert "(659, 466)" in (teacher / "05_place_and_time.ipynb").read_text()


def test_cli_workshop_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = cli_main(["workshop", "build", "--student", str(tmp_path / "s"), "--src",
                   str(NOTEBOOKS)])
    assert rc == 0
    assert len(list((tmp_path / "s").glob("*.ipynb"))) == 8
    assert "student:" in capsys.readouterr().out


def test_cli_workshop_build_bad_src(tmp_path: Path) -> None:
    assert cli_main(["workshop", "build", "--student", str(tmp_path / "s"), "--src",
                     str(tmp_path / "missing")]) == 2


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.enable_socket
def test_student_versions_execute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSINT_KIT_OUTPUT", str(tmp_path / "out"))
    monkeypatch.setenv("OSINT_KIT_EXAMPLES", str(NOTEBOOKS.parent / "examples"))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    student = tmp_path / "student"
    for path in build_student(NOTEBOOKS, student):
        nb = execute(path, cwd=student)  # outside the repository: found via the env variable
        texts = text_outputs(nb)
        assert not [t for t in texts if t.startswith(("ERROR", "[correct]"))], (path, texts)
        if "solution" in path.read_text():
            assert [t for t in texts if t.startswith("[not answered yet]")], path
