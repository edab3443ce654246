"""Issue 22: the package layers. ``osint_kit.runner`` (how work runs: single isolated calls,
the process pool, batches, Dask) knows nothing about images, timelines, sources, places,
cases or display."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import osint_kit

PACKAGE = Path(osint_kit.__file__).resolve().parent
DOMAIN = ("images", "media", "timeline", "sources", "geo", "case", "display", "cli", "workshop")


def _imports(path: Path, package: str) -> set[str]:
    """Every module ``path`` imports (at the top or inside functions), relative ones resolved."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def _is_domain(module: str) -> bool:
    return any(module == f"osint_kit.{d}" or module.startswith(f"osint_kit.{d}.")
               for d in DOMAIN)


def test_runner_imports_no_domain_package() -> None:
    files = sorted((PACKAGE / "runner").glob("*.py"))
    assert files
    bad = {f"{path.name}: {module}" for path in files
           for module in _imports(path, "osint_kit.runner") if _is_domain(module)}
    assert bad == set()


def test_importing_the_runner_loads_no_domain_module() -> None:
    code = ("import sys, json, osint_kit.runner, osint_kit.runner.engine, "
            "osint_kit.runner._pool; print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert [m for m in json.loads(out.stdout) if _is_domain(m)] == []


def _package_of(module: str) -> str | None:
    """``osint_kit.media.scan`` -> ``media``; top-level modules (errors, _io, ...) -> core."""
    parts = module.split(".")
    if parts[0] != "osint_kit" or len(parts) == 1:
        return None
    return parts[1] if (PACKAGE / parts[1]).is_dir() else "core"


def _package_graph() -> dict[str, dict[str, set[str]]]:
    """package -> imported package -> the imports that make the edge (function-level
    imports included: a lazy import is still a dependency)."""
    graph: dict[str, dict[str, set[str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if rel == ("osint_kit", "__init__"):
            continue  # the lazy public API names every package on purpose
        here = ".".join(rel[:-1] if rel[-1] == "__init__" else rel)
        package = here if rel[-1] == "__init__" else here.rpartition(".")[0]
        source = _package_of(here)
        assert source is not None
        for module in _imports(path, package):
            target = _package_of(module)
            if target is not None and target != source:
                graph.setdefault(source, {}).setdefault(target, set()).add(f"{here} -> {module}")
    return graph


def _cycles(graph: dict[str, dict[str, set[str]]]) -> list[str]:
    """Each cycle found by a depth-first walk, with one import that makes its last edge."""
    state: dict[str, str] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == "open":
                loop = [*trail[trail.index(nxt):], node, nxt] if nxt in trail else [node, nxt]
                cycles.append(" -> ".join(loop) + f" (e.g. {sorted(graph[node][nxt])[0]})")
            elif nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return cycles


def test_packages_import_each_other_without_cycles() -> None:
    assert _cycles(_package_graph()) == []


def test_domain_packages_import_no_presentation_or_case() -> None:
    """The dependency direction of docs (README, developer section): images, timeline,
    sources and geo never import display, cli, workshop or case."""
    graph = _package_graph()
    bad = {f"{edge}" for source in ("images", "media", "timeline", "sources", "geo")
           for target in ("display", "cli", "workshop", "case")
           for edge in graph.get(source, {}).get(target, set())}
    assert bad == set()


#: Packages whose parts are stages of the data flow (issue 22), checked one level down.
STAGED = ("media", "sources")


def _stage_of(module: str) -> str | None:
    """The stage of a module of ``media`` or ``sources``: its subpackage (``media.read``,
    ``media.similar``, ``media.forensics``, ``sources.capture``, ``sources.capture.archives``),
    for media's flat modules the module itself (``media.scan``, ``media.frames``: a stage
    each; a subpackage inside a stage, like ``media.read.video``, is part of it), for the flat
    modules of sources one stage, ``sources`` (the analysis of claims)."""
    parts = module.split(".")
    if len(parts) < 3 or parts[0] != "osint_kit" or parts[1] not in STAGED:
        return None
    if parts[1] == "media":  # media's stages are its top level (read/video is part of read)
        return f"media.{parts[2]}"
    folder, depth = PACKAGE / parts[1], 2
    while depth < len(parts) and (folder / parts[depth]).is_dir():
        folder, depth = folder / parts[depth], depth + 1
    if depth > 2:
        return ".".join(parts[1:depth])
    return f"media.{parts[2]}" if parts[1] == "media" else "sources"


def _stage_graph() -> dict[str, dict[str, set[str]]]:
    """stage -> imported stage -> the imports that make the edge. The ``__init__`` of media
    and sources are left out: they re-export the stages' public names on purpose."""
    graph: dict[str, dict[str, set[str]]] = {}
    for root in STAGED:
        for path in sorted((PACKAGE / root).rglob("*.py")):
            if path == PACKAGE / root / "__init__.py":
                continue
            rel = path.relative_to(PACKAGE.parent).with_suffix("").parts
            here = ".".join(rel[:-1] if rel[-1] == "__init__" else rel)
            package = ".".join(rel[:-1])
            source = _stage_of(here if rel[-1] != "__init__" else f"{here}.__init__")
            assert source is not None, path
            for module in _imports(path, package):
                target = _stage_of(module)
                if target is not None and target != source:
                    graph.setdefault(source, {}).setdefault(target, set()).add(
                        f"{here} -> {module}")
    return graph


def test_media_and_sources_stages_import_each_other_without_cycles() -> None:
    graph = _stage_graph()
    assert "media.read" in graph["media.forensics"]  # the walk sees the stages
    assert "sources.capture" in graph["sources"]
    assert _cycles(graph) == []


def test_reading_media_imports_no_later_stage() -> None:
    """``media.read`` is the first stage: scan, similarity and forensics build on it."""
    assert _stage_graph().get("media.read", {}) == {}


def test_capture_imports_no_analysis() -> None:
    """Capture ingest (``sources.capture``) comes before claims and their analysis; only the
    archive intake (``sources.capture.archives``), which turns exports into claims, uses both."""
    assert "sources" not in _stage_graph().get("sources.capture", {})
