"""The README is the contract with users: its Python examples must run as written, and
every ``# -> value`` comment must be what that line prints."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
EXPECT = re.compile(r"#\s*->\s*(.+?)\s*$", re.M)


def test_readme_has_examples() -> None:
    assert BLOCKS


def run_block(code: str, name: str) -> list[tuple[int, str, str]]:
    """Run ``code`` statement by statement; (line, expected, printed) for each ``# ->``."""
    lines = code.splitlines()
    namespace: dict[str, object] = {}
    checks = []
    for node in ast.parse(code).body:
        out = io.StringIO()
        snippet = ast.Module(body=[node], type_ignores=[])
        with contextlib.redirect_stdout(out):
            exec(compile(snippet, name, "exec"), namespace)
        last = lines[(node.end_lineno or node.lineno) - 1]
        found = EXPECT.search(last)
        if found:
            checks.append((node.lineno, found.group(1), out.getvalue().strip()))
    return checks


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_python_block_runs(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for line, expected, printed in run_block(BLOCKS[index], f"README.md[python block {index}]"):
        assert printed == expected, f"README python block {index}, line {line}: the comment " \
                                    f"says {expected!r}, the line prints {printed!r}"


def test_readme_tour_states_its_values() -> None:
    assert sum(len(EXPECT.findall(b)) for b in BLOCKS) >= 4


def test_readme_links_exist() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if "://" not in target:
            assert (ROOT / target).exists(), f"README links to missing {target}"
