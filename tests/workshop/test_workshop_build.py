"""Student builds: solutions replaced by placeholders, teacher versions unchanged, CLI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from osint_kit.cli import main as cli_main
from osint_kit.errors import WorkshopError
from osint_kit.testing.notebooks import execute, text_outputs
from osint_kit.workshop.build import build_student, placeholder_source
from osint_kit.workshop.checks import answer_key, check

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

CHECK_CALL = re.compile(r"check\(\s*[\"']([a-z0-9_]+)[\"']")
CHECK_OUTPUT = re.compile(r"\[(correct|almost|not yet|not answered yet|unknown question)\] ")


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
            elif "solution-text" in cell.metadata.get("tags", []):
                assert "discussed in class" in cell.source and "Rubric" in tcell.source
                assert "Rubric" not in cell.source
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
    assert len(list((tmp_path / "s").glob("*.ipynb"))) == 10
    assert "student:" in capsys.readouterr().out


def test_cli_workshop_build_bad_src(tmp_path: Path) -> None:
    assert cli_main(["workshop", "build", "--student", str(tmp_path / "s"), "--src",
                     str(tmp_path / "missing")]) == 2


def test_failed_build_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "s"
    with pytest.raises(WorkshopError):
        build_student(tmp_path / "missing", out)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "01_x.ipynb").write_text("{not json")
    with pytest.raises(WorkshopError):
        build_student(bad, out, teacher_dir=tmp_path / "t")
    with pytest.raises(WorkshopError):
        build_student(bad, tmp_path / "new" / "deep" / "s", teacher_dir=tmp_path / "t2" / "t")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad"]


def test_build_refuses_a_folder_with_work_in_it(tmp_path: Path) -> None:
    out = tmp_path / "s"
    out.mkdir()
    (out / "mine.ipynb").write_text("my work")
    with pytest.raises(WorkshopError, match="not empty"):
        build_student(NOTEBOOKS, out)
    assert [p.name for p in out.iterdir()] == ["mine.ipynb"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_cli_build_from_any_folder_is_self_contained(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("OSINT_KIT_EXAMPLES", raising=False)
    assert cli_main(["workshop", "build", "--student", "s", "--teacher", "t"]) == 0
    student = elsewhere / "s"
    assert (student / "README.md").is_file()
    assert (student / "examples" / "case" / "sources.yaml").is_file()
    assert (student / "examples" / "practice" / "case" / "sources.yaml").is_file()
    assert len(list((student / "examples" / "practice" / "evidence").glob("*.jpg"))) == 2
    assert not (student / "examples" / "practice_truth.md").exists()
    assert not (student / "examples" / "make_practice_images.py").exists()
    assert (elsewhere / "t" / "examples" / "practice_truth.md").is_file()
    assert len(list((student / "examples" / "evidence").glob("*.jpg"))) >= 5
    assert (student / "jupyter_lab_config.py").is_file()
    assert not (student / "examples" / "reconstructions_truth.json").exists()
    assert (elsewhere / "t" / "examples" / "reconstructions_truth.json").is_file()
    case = NOTEBOOKS.parent / "examples" / "case" / "capture" / "article_capture.txt"
    assert (student / "examples" / "case" / "capture" / "article_capture.txt").read_bytes() == \
        case.read_bytes()
    assert "workshop lab s" in capsys.readouterr().out
    assert sorted(p.name for p in elsewhere.iterdir()) == ["s", "t"]


def test_cli_lab_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["workshop", "lab", str(tmp_path)]) == 2  # no notebooks yet
    assert "build it first" in capsys.readouterr().err
    student = tmp_path / "s"
    build_student(NOTEBOOKS, student)
    assert cli_main(["workshop", "lab", str(student), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "jupyterlab" in out and "jupyter_lab_config.py" in out


def test_student_and_teacher_folders_are_ignored_by_git() -> None:
    import shutil
    import subprocess

    root = NOTEBOOKS.parent
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    for name in ("student/00_start_here.ipynb", "teacher/x.ipynb", "build/student/a.ipynb"):
        assert subprocess.run(["git", "check-ignore", "-q", name], cwd=root).returncode == 0


def _exercises(nb: Any) -> list[tuple[int, list[str]]]:
    """(cell index, check names) of every exercise: the checks between it and the next one."""
    starts = [i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])]
    found = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(nb.cells)
        names = [m for c in nb.cells[start:end] if c.cell_type == "code"
                 for m in CHECK_CALL.findall(c.source)]
        found.append((start, names))
    return found


def test_enough_exercises_and_judgement_rubrics() -> None:
    import jupytext

    n_exercises = n_judgement = 0
    key = answer_key()
    for path in sorted(NOTEBOOKS.glob("0*.py")):
        nb = jupytext.read(path)
        for start, names in _exercises(nb):
            n_exercises += 1
            assert names, (path.name, nb.cells[start].source)
            assert all(name in key for name in names), names
            if "(judgement)" in nb.cells[start].source:
                n_judgement += 1
                rest = nb.cells[start + 1:]
                texts = [c for c in rest if "solution-text" in c.metadata.get("tags", [])]
                assert texts and "Rubric" in texts[0].source, path.name
                assert {key[n]["kind"] for n in names} <= {"choice", "keypoints"}
    assert n_exercises >= 21
    assert n_judgement >= 6


_TOKENS = {
    "date": re.compile(r"\d{4}-\d{2}(?:-\d{2})?|(?:[A-Z][a-z]+,? )?[A-Z][a-z]+ \d{1,2},? \d{4}"
                       r"|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{4}"),
    "time": re.compile(r"\d{1,2}:\d{2}(?: [A-Z]{3})?"),
    "number": re.compile(r"-?\d+\.\d+(?: ?(?:°|km))?|-?\d+ ?(?:°|km)"),
}


def _fragments(text: str, kind: str) -> set[str]:
    """What a reader could copy as an answer: lines, labelled values, and value tokens."""
    out: set[str] = set()
    for line in text.replace("*", "").replace("`", "").splitlines():
        line = line.strip(" #-")
        if not line:
            continue
        out.add(line)
        out.update(p.strip() for p in re.split(r":\s|=|->|\|", line) if p.strip())
        if kind in _TOKENS:
            out.update(_TOKENS[kind].findall(line))
    return out


def _shown(cell: Any) -> list[str]:
    """Everything a cell shows a student: its source and its text outputs."""
    texts = [cell.source]
    for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
        texts.append(o.get("data", {}).get("text/plain", "") or o.get("text", ""))
    return texts


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.enable_socket
def test_student_folder_built_elsewhere_executes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built from another folder, every student notebook runs; no answer shows before its
    exercise (every fragment shown up to the exercise is run through the exercise's check)."""
    monkeypatch.delenv("OSINT_KIT_EXAMPLES", raising=False)
    monkeypatch.delenv("OSINT_KIT_OUTPUT", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.chdir(tmp_path)
    assert cli_main(["workshop", "build", "--student", "student"]) == 0
    student = tmp_path / "student"
    key = answer_key()
    n_checks = n_probed = 0
    leaks = []
    checked: set[str] = set()
    for path in sorted(student.glob("*.ipynb")):
        nb = execute(path, cwd=student)  # finds the case in the student folder itself
        texts = text_outputs(nb)
        assert not [t for t in texts if t.startswith("ERROR")], (path, texts)
        results = [t for t in texts if CHECK_OUTPUT.match(t)]
        assert all(t.startswith("[not answered yet]") for t in results), (path, results)
        n_checks += len(results)
        for start, names in _exercises(nb):
            checked.add(path.stem)
            shown = [t for cell in nb.cells[:start] for t in _shown(cell)]
            for name in names:
                kind = str(key[name]["kind"])
                if kind in ("choice", "keypoints"):
                    continue  # options are shown on purpose; free text has no single answer
                for fragment in {f for t in shown for f in _fragments(t, kind)}:
                    n_probed += 1
                    if check(name, fragment).status == "correct":  # pragma: no branch
                        leaks.append((path.name, name, fragment))
    assert not leaks, leaks
    assert "08_practice_case" in checked  # the practice case is probed too
    assert n_checks >= 28
    assert n_probed > 1000
