"""The pairing check the Makefile's lint step runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from osint_kit.workshop.sync import check_folder, main

ROOT = Path(__file__).resolve().parents[2]


def test_repository_notebooks_are_in_sync() -> None:
    assert check_folder(ROOT / "notebooks") == []


def test_module_entry_point_exit_code() -> None:
    done = subprocess.run([sys.executable, "-m", "osint_kit.workshop.sync", "--check",
                           str(ROOT / "notebooks")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "nb"
    folder.mkdir()
    for name in ("01_capture.py", "01_capture.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, folder / name)
    return folder


def test_outputs_are_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "01_capture.ipynb"
    nb = json.loads(path.read_text())
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 3
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}]
    path.write_text(json.dumps(nb))
    problems = check_folder(folder)
    assert any("outputs" in p for p in problems)
    assert main(["--check", str(folder)]) == 1


def test_out_of_sync_and_unpaired(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    py = folder / "01_capture.py"
    py.write_text(py.read_text() + "\n# %%\nprint('new cell')\n")
    shutil.copy(ROOT / "notebooks" / "02_claims_and_sources.ipynb", folder)
    problems = check_folder(folder)
    assert any("out of sync" in p for p in problems)
    assert any("no paired py:percent source" in p for p in problems)
    assert main(["--write", str(folder)]) == 0
    assert not any("01_capture" in p for p in check_folder(folder))


def test_write_keeps_cell_ids_of_unchanged_cells(tmp_path: Path) -> None:
    """Regenerating the .ipynb must not rewrite every cell id (readable diffs)."""
    folder = _copy(tmp_path)
    ipynb = folder / "01_capture.ipynb"
    before = [c["id"] for c in json.loads(ipynb.read_text())["cells"]]
    assert main(["--write", str(folder)]) == 0
    assert [c["id"] for c in json.loads(ipynb.read_text())["cells"]] == before
    py = folder / "01_capture.py"
    py.write_text(py.read_text() + "\n# %%\nprint('one more cell')\n")
    assert main(["--write", str(folder)]) == 0
    after = [c["id"] for c in json.loads(ipynb.read_text())["cells"]]
    assert after[:-1] == before and after[-1] not in before
    assert main(["--write", str(folder)]) == 0  # and the new id is stable too
    assert [c["id"] for c in json.loads(ipynb.read_text())["cells"]] == after
