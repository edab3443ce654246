"""Execute a notebook with nbclient and collect its text outputs (the notebook and workshop
tests). nbformat and nbclient are imported when called: they are development extras."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Seconds one cell may run before nbclient stops the notebook.
CELL_TIMEOUT_S = 180


def execute(path: Path, cwd: Path, timeout: int = CELL_TIMEOUT_S) -> Any:
    """Execute a notebook with nbclient (cwd = ``cwd``); return the executed notebook.
    Raises nbclient's ``CellExecutionError`` on the first cell that fails."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def text_outputs(nb: Any) -> list[str]:
    """Every text/plain output and stream text of the executed notebook; an error output
    reads ``ERROR <name>: <value>``."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"ERROR {o.get('ename')}: {o.get('evalue')}")
            out.append(o.get("data", {}).get("text/plain", "") or o.get("text", ""))
    return out
