"""Student and teacher versions of the workshop notebooks.

Exercise cells carry the tag ``exercise`` (the question, usually Markdown) and their worked
answer the tag ``solution`` (code). The student build keeps every cell but rewrites each
solution cell to placeholders: every top-level ``name = <solution>`` becomes
``name = ...  # your answer`` and calls to ``check(...)`` are kept, so the student notebook
runs end to end and the checks say "not answered yet". Markdown cells tagged
``solution-text`` (the teacher's discussion) become a short "discussed in class" note.
Teacher versions are the sources unchanged (outputs stripped).

The sources are the jupytext ``py:percent`` files (``notebooks/*.py``); a folder holding only
``.ipynb`` files works too. The notebooks and the case are not copied into the package (one
source of truth): :func:`material_root` finds them beside the installed package (a source
checkout or ``pip install -e``), and a built student folder is self-contained.
"""

from __future__ import annotations

import ast
import contextlib
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


#: What of ``examples/`` a student folder gets: the case, the evidence and the practice case
#: (``practice/``); not the keys (``reconstructions_truth.json``, ``practice_truth.md``) nor
#: the scripts that draw the images.
STUDENT_EXAMPLES = ("case", "evidence", "practice")
#: JupyterLab settings copied beside the notebooks (nothing phones home; see the file).
LAB_FILES = ("jupyter_lab_config.py", "jupyter_lab_settings")
STUDENT_README = """# OSINT workshop: your notebooks

Open them with `osint-kit workshop lab .` in this folder (or `jupyter lab` here) and start
with `00_start_here.ipynb`. Work through each notebook top to bottom: every exercise cell
has a `...` to replace with your answer; run the cell and the check below it says
"correct", "almost" or "not yet" with a hint. Free-text exercises are discussed in class.

`examples/` holds the case material (a captured page, the sources, claims and the
evidence files). The images are RECONSTRUCTIONS FOR TEACHING, labelled so in their own
metadata. `examples/practice/` is the practice case of notebook 08, CONSTRUCTED FOR
TEACHING (a fictional ferry and fictional outlets in real places). Do not edit `examples/`: the notebooks check that the evidence is unchanged.
Your results are written to `build/` here.
"""


def material_root() -> Path:
    """The folder holding ``notebooks/`` and ``examples/`` of this installation.

    Found from where the package is installed (a source checkout or an editable install);
    a plain wheel does not carry them, and the error says which options to pass instead.
    """
    root = Path(__file__).resolve().parents[2]
    if any((root / "notebooks").glob("0*.py")) and (root / "examples" / "case" /
                                                   "sources.yaml").is_file():
        return root
    raise WorkshopError(
        f"this installation of osint_kit ({root}) does not hold the workshop notebooks and "
        "case: install it from the source folder (pip install -e PATH) or pass "
        "--src PATH/notebooks --examples PATH/examples of an osint_kit source folder")


def _write_notebooks(src: Path, out: Path, teacher: Path | None) -> list[Path]:
    import nbformat

    written: list[Path] = []
    for path in _sources(src):
        nb = read_notebook(path)
        nb.metadata.pop("jupytext", None)
        target = out / f"{path.stem}.ipynb"
        nbformat.write(studentize(nb), target)
        written.append(target)
        if teacher is not None:
            nbformat.write(_strip(nb), teacher / f"{path.stem}.ipynb")
        log.info("student version of %s -> %s", path, target)
    return written


def _fresh(folder: Path) -> Path:
    """A new temporary folder beside ``folder`` (moved into place when the build succeeds)."""
    import tempfile

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise WorkshopError(f"{folder} exists and is not empty: choose a new folder (a build "
                            "never overwrites a student's work)")
    folder.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))


def _copy_material(examples: Path | None, out: Path, parts: tuple[str, ...]) -> None:
    import shutil

    if examples is None:
        return
    for part in parts:
        src = examples / part
        if src.is_dir():
            shutil.copytree(src, out / "examples" / part)
        elif src.is_file():
            (out / "examples").mkdir(exist_ok=True)
            shutil.copy2(src, out / "examples" / part)
    for name in LAB_FILES:
        lab = examples.parent / name
        if lab.is_dir():
            shutil.copytree(lab, out / name)
        elif lab.is_file():
            shutil.copy2(lab, out / name)


def build_student(
    src_dir: str | Path | None, out_dir: str | Path, teacher_dir: str | Path | None = None,
    examples: str | Path | None = None, with_case: bool = True,
) -> list[Path]:
    """Write a self-contained student folder ``out_dir``; return its notebook paths.

    ``out_dir`` gets the student notebooks (solutions hidden), ``examples/case`` and
    ``examples/evidence``, the JupyterLab settings and a README for students. With
    ``teacher_dir``, the teacher versions (outputs stripped) and the whole ``examples/`` go
    there. ``src_dir``/``examples`` default to this installation's (:func:`material_root`).
    Both folders must be new or empty; on any error nothing is left behind.
    """
    import shutil

    root = material_root() if src_dir is None or (with_case and examples is None) else None
    src = Path(src_dir) if src_dir is not None else Path(root or ".") / "notebooks"
    case = None
    if with_case:
        case = Path(examples) if examples is not None else Path(root or ".") / "examples"
        if not (case / "case" / "sources.yaml").is_file():
            raise WorkshopError(f"{case} is not an examples folder (no case/sources.yaml)")
    _sources(src)  # fail before anything is created
    out = Path(out_dir)
    teacher = Path(teacher_dir) if teacher_dir is not None else None
    created = [p for folder in (out, teacher) if folder is not None
               for p in folder.absolute().parents if not p.exists()]
    tmp_out: Path | None = None
    tmp_teacher: Path | None = None
    moved: list[Path] = []
    try:
        tmp_out = _fresh(out)
        tmp_teacher = _fresh(teacher) if teacher is not None else None
        names = _write_notebooks(src, tmp_out, tmp_teacher)
        _copy_material(case, tmp_out, STUDENT_EXAMPLES)
        (tmp_out / "README.md").write_text(STUDENT_README, encoding="utf-8")
        if tmp_teacher is not None:
            _copy_material(case, tmp_teacher, tuple(p.name for p in case.iterdir())
                           if case is not None else ())
        for tmp, final in ((tmp_out, out), (tmp_teacher, teacher)):
            if tmp is not None and final is not None:
                if final.exists():
                    final.rmdir()  # empty (checked by _fresh)
                tmp.rename(final)
                moved.append(final)
    except BaseException:
        for tmp in (tmp_out, tmp_teacher, *moved):  # moved: new folders of this build
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        for folder in sorted(set(created), key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only the empty parents this build created
        raise
    return [out / p.name for p in names]
