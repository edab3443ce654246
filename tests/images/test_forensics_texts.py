"""The finding texts are one data table (osint_kit/data/findings.yaml): every code a rule can
emit has an entry, every entry is used, every placeholder is filled by the rule that emits
it, and the findings tables of docs/forensics.md and docs/video_findings.md are generated from
it (``python tools/make_forensics_doc.py``; ``OSINT_KIT_WRITE_DOCS=1`` rewrites them here)."""

from __future__ import annotations

import ast
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import osint_kit
from osint_kit.media.forensics.model import (
    Finding,
    finding_text,
    finding_texts,
    make_finding,
    phrase,
)

PACKAGE = Path(osint_kit.__file__).resolve().parent
ROOT = PACKAGE.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_forensics_doc", ROOT / "tools" / "make_forensics_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _calls(name: str) -> Iterator[tuple[Path, ast.Call]]:
    """Every call of ``name`` (a bare name or an attribute) in the package's source."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if called == name:
                    yield path, node


def _literal(node: ast.expr) -> str:
    assert isinstance(node, ast.Constant) and isinstance(node.value, str), (
        f"line {node.lineno}: the finding code must be a string literal, so this test can "
        "check it against the table")
    return node.value


def _keywords(call: ast.Call) -> set[str] | None:
    """The placeholder values a call passes (None when it passes ``**values``)."""
    if any(k.arg is None for k in call.keywords):
        return None
    return {k.arg for k in call.keywords if k.arg is not None and k.arg != "severity"}


def _emitted() -> dict[str, list[str]]:
    """code -> where a ``make_finding`` call emits it."""
    out: dict[str, list[str]] = {}
    for path, call in _calls("make_finding"):
        code = _literal(call.args[0])
        out.setdefault(code, []).append(f"{path.name}:{call.lineno}")
    return out


def test_every_code_a_rule_emits_has_a_text_and_every_text_is_used() -> None:
    emitted = set(_emitted())
    assert emitted, "no make_finding call found: the scan is broken"
    table = set(finding_texts())
    assert emitted - table == set(), "codes without an entry in data/findings.yaml"
    assert table - emitted == set(), "entries of data/findings.yaml that no rule emits"


def test_no_rule_builds_a_finding_with_inline_texts() -> None:
    direct = [f"{path.relative_to(PACKAGE)}:{call.lineno}" for path, call in _calls("Finding")
              if path.name != "model.py"]
    assert direct == [], "build findings with make_finding(code, ...): the texts are data"


def test_every_placeholder_is_filled_by_the_rule() -> None:
    for path, call in _calls("make_finding"):
        code = _literal(call.args[0])
        given = _keywords(call)
        if given is not None:
            assert given == finding_text(code).placeholders(), f"{path.name}:{call.lineno}"


def test_every_phrase_exists_is_filled_and_used() -> None:
    used: dict[str, set[str]] = {}
    for path, call in _calls("phrase"):
        if path.name == "model.py":
            continue
        code = _literal(call.args[0])
        text = finding_text(code)
        names = {n.value for n in ast.walk(call.args[1])
                 if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        # a name computed elsewhere (a variable): any phrase of the code may come
        if not names:
            source = path.read_text(encoding="utf-8")
            names = {n for n in text.phrases if f'"{n}"' in source}
        assert names and names <= set(text.phrases), f"{path.name}:{call.lineno}"
        for name in names:
            assert _keywords(call) == text.placeholders(text.phrases[name]), (
                f"{path.name}:{call.lineno}: {code}.{name}")
        used.setdefault(code, set()).update(names)
    declared = {code: set(t.phrases) for code, t in finding_texts().items() if t.phrases}
    assert declared == used


def test_docs_parts_have_no_placeholders_and_every_entry_says_what_it_does_not_prove() -> None:
    for code, text in finding_texts().items():
        assert text.placeholders(text.not_proof) == frozenset(), code
        assert text.placeholders(text.fires) == frozenset(), code
        assert text.not_proof.strip() and text.means.strip() and text.title.strip(), code
        # the explanation reads: means, innocent explanations, not proven, what next
        assert text.explanation.startswith(text.means) and text.not_proof in text.explanation


def test_make_finding_fills_the_template_and_keeps_braces_in_values() -> None:
    f = make_finding("no_camera_metadata", {"format": 1}, "/e/x.png", format="{names}")
    assert isinstance(f, Finding)
    assert (f.code, f.severity, f.path) == ("no_camera_metadata", "info", "/e/x.png")
    assert f.title == "No camera metadata ({names})" and f.evidence == {"format": "1"}
    assert f.explanation.startswith("This {names} file has no EXIF.")
    raised = make_finding("c2pa_present", {}, None, severity="notice")
    assert raised.severity == "notice"
    assert phrase("video_created_zone_shift", "unclear").endswith("unclear which")


def test_a_code_without_an_entry_is_a_clear_key_error() -> None:
    with pytest.raises(KeyError, match=r"no entry in osint_kit/data/findings\.yaml"):
        make_finding("no_such_code", {}, None)


def test_the_table_is_loaded_once() -> None:
    assert finding_texts() is finding_texts()


def test_docs_findings_tables_are_up_to_date() -> None:
    tool = _tool()
    if os.environ.get("OSINT_KIT_WRITE_DOCS") == "1":
        tool.main([])
    assert tool.outdated() == [], "run python tools/make_forensics_doc.py"
    for media, path in tool.DOCS.items():
        doc = path.read_text(encoding="utf-8")
        for text in finding_texts().values():
            assert (f"`{text.code}`" in doc) == (text.media == media), (path.name, text.code)
