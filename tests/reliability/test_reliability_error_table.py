"""docs/errors.md is generated from real calls on bad input and must match the code.

Regenerate with ``python tests/reliability/make_error_table.py`` (or run this test with
``OSINT_KIT_WRITE_DOCS=1``). Every bad input must end in an osint_kit error (or a result
with warnings), never in a bare Python exception.
"""

from __future__ import annotations

import os

import make_error_table
from reliability_targets import osint_error_names


def test_every_bad_input_gives_an_osint_kit_error_or_a_result() -> None:
    allowed = osint_error_names() | {"(no error)"}
    for area, what, call_name, cls, msg in make_error_table.outcomes():
        assert cls in allowed, f"{area}: {what} via {call_name} raised {cls}: {msg}"
        assert msg.strip(), f"{area}: {what}: an error without a message"


def test_docs_errors_md_is_up_to_date() -> None:
    text = make_error_table.render()
    if os.environ.get("OSINT_KIT_WRITE_DOCS") == "1":
        make_error_table.DOC.write_text(text, encoding="utf-8")
    current = (make_error_table.DOC.read_text(encoding="utf-8")
               if make_error_table.DOC.exists() else "")
    assert current == text, (
        "docs/errors.md is out of date: run python tests/reliability/make_error_table.py")
