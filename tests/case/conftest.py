"""Fixtures for the case tests: a small generated case with known content."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from case_factory import build_case


@pytest.fixture(scope="module")
def template_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    case = build_case(root / "case", root / "files")
    case.close()
    return root / "case"


@pytest.fixture
def case_copy(template_case: Path, tmp_path: Path) -> Callable[[], Path]:
    def make() -> Path:
        dest = tmp_path / "case"
        shutil.copytree(template_case, dest)
        return dest

    return make
