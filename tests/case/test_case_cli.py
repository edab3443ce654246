"""The ``osint-kit case`` subcommands, run in-process through the real parser."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from case_factory import make_png

from osint_kit.case import Case
from osint_kit.cli import main


def test_cli_workflow(tmp_path: Path, capsys) -> None:
    case = tmp_path / "case"
    assert main(["case", "new", str(case), "--title", "CLI case"]) == 0
    photo = make_png(tmp_path / "photo.png")
    with Case.open(case) as opened:
        opened.add_source(title="Briefing")
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
    err = capsys.readouterr().err
    assert "holds no case" in err and "'osint-kit case new'" in err and "Case.create" not in err


def test_cli_add_refuses_unknown_source_and_warns_on_duplicates(tmp_path: Path, capsys) -> None:
    case = tmp_path / "case"
    assert main(["case", "new", str(case), "--title", "t"]) == 0
    photo = make_png(tmp_path / "photo.png")
    capsys.readouterr()
    assert main(["case", "add", str(case), str(photo), "--source", "S0042"]) == 2
    err = capsys.readouterr().err
    assert "--source S0042" in err and "no such source" in err
    with Case.open(case) as opened:
        assert len(opened.table("evidence")) == 0  # nothing taken in
    assert main(["case", "add", str(case), str(photo)]) == 0
    assert "same SHA-256" not in capsys.readouterr().err
    copy = tmp_path / "renamed.png"
    copy.write_bytes(photo.read_bytes())
    assert main(["case", "add", str(case), str(copy)]) == 0
    err = capsys.readouterr().err
    assert "E0002 has the same SHA-256 as E0001 (photo.png)" in err


def test_cli_case_prints_no_terminal_escapes(tmp_path: Path, capsys) -> None:
    """Issue 19 item 12: an evidence name with escape sequences reached the terminal raw."""
    case = tmp_path / "case"
    assert main(["case", "new", str(case), "--title", "t\x1b]0;title\x07"]) == 0
    evil = make_png(tmp_path / "a\x1b[2J\x1b]0;pwned\x07.png")
    assert main(["case", "add", str(case), str(evil)]) == 0
    assert main(["case", "add", str(case), str(evil)]) == 0  # the duplicate warning names it
    assert main(["case", "verify", str(case)]) in (0, 1)
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err and "\x07" not in out.out + out.err
    assert "a?[2J?]0;pwned?.png" in out.out


def test_cli_report_files_are_readable_by_others(tmp_path: Path, capsys) -> None:
    import os
    import stat

    case = tmp_path / "case"
    assert main(["case", "new", str(case), "--title", "t"]) == 0
    old = os.umask(0o022)
    try:
        assert main(["case", "report", str(case), str(tmp_path / "r" / "report.html")]) == 0
    finally:
        os.umask(old)
    for name in ("report.html", "report.md"):
        assert stat.S_IMODE((tmp_path / "r" / name).stat().st_mode) == 0o644
