"""Working copies for ``make lab``: JupyterLab never writes to the tracked notebooks.

``python -m osint_kit.workshop.lab notebooks build/lab`` writes one ``.ipynb`` per
``py:percent`` source of ``notebooks/`` into ``build/lab/`` (ignored by git) without the
jupytext pairing, so saving, autosave and outputs stay in ``build/lab/``. Your edits live
there: a copy you changed is kept when its source changes (you are told so); a copy you did
not touch is refreshed from its source. Delete a copy to get a fresh one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from osint_kit.errors import WorkshopError
from osint_kit.workshop.sync import is_jupytext_py

#: Where the state of the last sync is kept, inside the lab folder.
STATE_FILE = ".osint-kit-lab.json"


@dataclass(frozen=True)
class LabSync:
    """What :func:`prepare_lab` did: copies written fresh, refreshed, and kept (edited)."""

    folder: Path
    created: tuple[str, ...] = ()
    refreshed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _render(py: Path) -> bytes:
    """The notebook of a py:percent source, unpaired, without outputs."""
    import jupytext

    nb = jupytext.read(py)
    nb.metadata.pop("jupytext", None)  # unpaired: Lab saves this .ipynb only
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    text: str = jupytext.writes(nb, fmt="ipynb")
    return text.encode("utf-8")


def prepare_lab(src: str | Path = "notebooks", dest: str | Path = "build/lab") -> LabSync:
    """Write or refresh the working copies of ``src``'s notebooks in ``dest``."""
    src, dest = Path(src), Path(dest)
    sources = sorted(p for p in src.glob("*.py") if is_jupytext_py(p)) if src.is_dir() else []
    if not sources:
        raise WorkshopError(f"{src}: no jupytext py:percent notebooks to open")
    if dest.resolve() == src.resolve():
        raise WorkshopError("the lab folder must not be the notebooks folder itself")
    dest.mkdir(parents=True, exist_ok=True)
    state_path = dest / STATE_FILE
    try:
        state: dict[str, dict[str, str]] = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    done: dict[str, list[str]] = {"created": [], "refreshed": [], "kept": [], "unchanged": []}
    for py in sources:
        name = py.with_suffix(".ipynb").name
        target = dest / name
        source_hash = _digest(py.read_bytes())
        known = state.get(name, {})
        if not target.exists():
            kind = "created"
        elif known.get("source") == source_hash:
            done["unchanged"].append(name)
            continue
        elif known.get("copy") == _digest(target.read_bytes()):
            kind = "refreshed"  # the user never touched it: follow the source
        else:
            done["kept"].append(name)  # the user's edits win; a fresh copy after deleting it
            continue
        data = _render(py)
        target.write_bytes(data)
        state[name] = {"source": source_hash, "copy": _digest(data)}
        done[kind].append(name)
    state_path.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    return LabSync(dest, *(tuple(done[k]) for k in ("created", "refreshed", "kept",
                                                    "unchanged")))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m osint_kit.workshop.lab",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("src", type=Path, nargs="?", default=Path("notebooks"))
    parser.add_argument("dest", type=Path, nargs="?", default=Path("build/lab"))
    args = parser.parse_args(argv)
    try:
        result = prepare_lab(args.src, args.dest)
    except WorkshopError as err:
        print(f"lab: {err}", file=sys.stderr)
        return 2
    print(f"lab: working copies in {result.folder}/ (your edits and outputs are saved there; "
          f"{args.src}/ is never written)")
    for name in result.kept:
        print(f"lab: kept your edited {result.folder / name}; its source {args.src}/"
              f"{Path(name).stem}.py changed (delete the copy to get the new version)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
