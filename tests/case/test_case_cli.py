"""The ``osint-kit case`` subcommands, run in-process through the real parser."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from case_factory import make_png

from osint_kit.cli import main


def test_cli_workflow(tmp_path: Path, capsys) -> None:
    case = tmp_path / "case"
    assert main(["case", "new", str(case), "--title", "CLI case"]) == 0
    photo = make_png(tmp_path / "photo.png")
    assert main(["case", "add", str(case), str(photo), "--source", "S0001",
                 "--from", "https://example.org/p"]) == 0
    out = capsys.readouterr().out
    assert "E0001" in out
    assert main(["case", "verify", str(case)]) == 0
    zip_path = tmp_path / "case.zip"
    assert main(["case", "export", str(case), str(zip_path)]) == 0
    assert main(["case", "import", str(zip_path), str(tmp_path / "copy")]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["case", "report", str(case), str(tmp_path / "r" / "report.html")]) == 0
    assert (tmp_path / "r" / "report.html").exists() and (tmp_path / "r" / "report.md").exists()
    # tamper: exit code 1 and the problem is printed
    conn = sqlite3.connect(case / "case.sqlite")
    conn.execute("DELETE FROM custody WHERE seq = 2")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["case", "verify", str(case)]) == 1
    assert "missing" in capsys.readouterr().out


def test_cli_errors_are_reported(tmp_path: Path, capsys) -> None:
    assert main(["case", "verify", str(tmp_path / "none")]) == 2
    assert "holds no case" in capsys.readouterr().err
