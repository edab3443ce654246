"""Student and teacher versions of the workshop notebooks.

Exercise cells carry the tag ``exercise`` (the question, usually Markdown) and their worked
answer the tag ``solution`` (code). The student build keeps every cell but rewrites each
solution cell to placeholders: every top-level ``name = <solution>`` becomes
``name = ...  # your answer`` and calls to ``check(...)`` are kept, so the student notebook
runs end to end and the checks say "not answered yet". Markdown cells tagged
``solution-text`` (the teacher's discussion) become a short "discussed in class" note.
Teacher versions are the sources unchanged (outputs stripped).

The sources are the jupytext ``py:percent`` files (``notebooks/*.py``); a folder holding only
``.ipynb`` files works too.
"""

from __future__ import annotations

import ast
import copy
import logging
from pathlib import Path
from typing import Any

from osint_kit.errors import WorkshopError

log = logging.getLogger(__name__)

SOLUTION_TAG = "solution"
SOLUTION_TEXT_TAG = "solution-text"
EXERCISE_TAG = "exercise"
PLACEHOLDER_COMMENT = "# your answer"
_CHECK_NAMES = {"check"}


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _is_check_call(node: ast.stmt) -> bool:
    if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Call):
        return False
    func = node.value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _CHECK_NAMES


def placeholder_source(source: str) -> str:
    """Rewrite a solution cell: assignments become ``name = ...``, check calls stay."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise WorkshopError(f"a solution cell is not valid Python ({err}); fix the source") from err
    lines = ["# Exercise: replace each ... with your answer, then run the cell."]
    kept_any = False
    for node in tree.body:
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            names = " = ".join(t.id for t in node.targets if isinstance(t, ast.Name))
            lines.append(f"{names} = ...  {PLACEHOLDER_COMMENT}")
            kept_any = True
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            lines.append(f"{node.target.id} = ...  {PLACEHOLDER_COMMENT}")
            kept_any = True
        elif _is_check_call(node):
            segment = ast.get_source_segment(source, node)
            if segment:
                lines.append(segment)
                kept_any = True
        elif isinstance(node, ast.Import | ast.ImportFrom):
            segment = ast.get_source_segment(source, node)
            if segment:
                lines.insert(1, segment)
    if not kept_any:
        lines.append("# (the worked solution is hidden in the student version)")
    return "\n".join(lines)


def studentize(notebook: Any) -> Any:
    """Return a copy of ``notebook`` with solutions replaced and all outputs removed."""
    nb = copy.deepcopy(notebook)
    for cell in nb.cells:
        tags = _tags(cell)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if SOLUTION_TAG in tags:
                cell.source = placeholder_source(cell.source)
        elif SOLUTION_TEXT_TAG in tags:
            cell.source = "*(The worked answer is discussed in class.)*"
    nb.metadata["osint_kit_workshop"] = {"version": "student"}
    return nb


def _strip(notebook: Any) -> Any:
    nb = copy.deepcopy(notebook)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def _sources(src_dir: Path) -> list[Path]:
    """Notebook sources: paired py:percent files first, bare .ipynb where no .py exists."""
    if not src_dir.is_dir():
        raise WorkshopError(f"{src_dir} is not a folder of notebooks")
    from osint_kit.workshop.sync import is_jupytext_py

    pys = sorted(p for p in src_dir.glob("*.py") if is_jupytext_py(p))
    stems = {p.stem for p in pys}
    ipynbs = sorted(p for p in src_dir.glob("*.ipynb") if p.stem not in stems)
    found = sorted([*pys, *ipynbs], key=lambda p: p.name)
    if not found:
        raise WorkshopError(f"no jupytext .py or .ipynb notebooks found in {src_dir}")
    return found


def read_notebook(path: Path) -> Any:
    """Read a py:percent or .ipynb notebook into an nbformat NotebookNode."""
    import jupytext

    try:
        return jupytext.read(path)
    except Exception as err:  # jupytext raises many types for malformed input
        raise WorkshopError(f"cannot read notebook {path}: {err}") from err


def build_student(
    src_dir: str | Path, out_dir: str | Path, teacher_dir: str | Path | None = None
) -> list[Path]:
    """Write student notebooks (solutions hidden) to ``out_dir``; return their paths.

    With ``teacher_dir``, the unchanged teacher versions (outputs stripped) are written there
    as well. Other files next to the notebooks are not copied: the notebooks find the case
    through their relative path, so place ``out_dir`` next to ``examples/`` (e.g.
    ``build/student``) or copy ``examples/`` beside it.
    """
    import nbformat

    src, out = Path(src_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for path in _sources(src):
        nb = read_notebook(path)
        nb.metadata.pop("jupytext", None)
        target = out / f"{path.stem}.ipynb"
        nbformat.write(studentize(nb), target)
        written.append(target)
        if teacher_dir is not None:
            tdir = Path(teacher_dir)
            tdir.mkdir(parents=True, exist_ok=True)
            nbformat.write(_strip(nb), tdir / f"{path.stem}.ipynb")
        log.info("student version of %s -> %s", path, target)
    return written
