"""Shared helper for executing notebooks in tests (imported by the notebook/workshop tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT_S = 180


def execute(path: Path, cwd: Path) -> Any:
    """Execute a notebook with nbclient (cwd = ``cwd``); return the executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def text_outputs(nb: Any) -> list[str]:
    """Every text/plain output and stream text of the executed notebook."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"ERROR {o.get('ename')}: {o.get('evalue')}")
            out.append(o.get("data", {}).get("text/plain", "") or o.get("text", ""))
    return out
