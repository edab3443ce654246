from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from osint_kit._html import df_table, esc, kv_table, page

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
]


@given(st.text())
def test_esc_never_leaves_markup(text: str) -> None:
    out = esc(text, limit=10**6)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out


def test_tables_escape_keys_values_and_columns() -> None:
    df = pd.DataFrame({p: [p] for p in PAYLOADS}, index=pd.Index([PAYLOADS[0]], name=PAYLOADS[1]))
    html = df_table(df) + kv_table([(p, p) for p in PAYLOADS], title=PAYLOADS[0])
    assert "<script" not in html and "<img" not in html and "<svg" not in html


def test_page_has_strict_csp_and_no_external_resources() -> None:
    doc = page("<t>", "<p>x</p>")
    assert "Content-Security-Policy" in doc and "default-src 'none'" in doc
    assert "http://" not in doc and "https://" not in doc
    assert "<title>&lt;t&gt;</title>" in doc


def test_esc_truncates_huge_values() -> None:
    assert len(esc("a" * 100_000)) < 3000
