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
