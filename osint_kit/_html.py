"""Escaping and small HTML builders shared by every ``_repr_html_`` and the report.

Everything osint_kit shows comes, somewhere upstream, from an adversary: EXIF strings, page
titles, captions, source names. Nothing reaches HTML without going through :func:`esc`.
No external CSS, JS or fonts are ever referenced.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by callers that pass DataFrames; keep import cheap
    import pandas as pd

_MAX_CELL = 2000


def esc(value: Any, limit: int = _MAX_CELL) -> str:
    """Escape any value for HTML text or attribute context (quotes included).

    >>> esc('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[:limit] + f"… [{len(text) - limit} more characters]"
    return html.escape(text, quote=True)


#: Characters that end or escape a JavaScript template literal (back-tick, ``${``, backslash)
#: or open a Jinja2 tag (``{{``, ``{%``, ``{#``), as HTML character references.
_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;",
                              "{": "&#123;", "}": "&#125;"})


def esc_js_template(value: Any, limit: int = _MAX_CELL) -> str:
    """:func:`esc`, safe also in a JavaScript template literal inside a Jinja2 template.

    folium (Leaflet) writes tooltip text verbatim between back-ticks in a ``<script>``; a
    back-tick, ``${`` or a backslash there runs as script in the browser. branca then parses
    that script as a Jinja2 template once more, so ``{{ ... }}`` in a place name would run
    as Python in the kernel. After HTML escaping, these characters become character
    references, which the HTML the literal feeds shows as the same characters.

    >>> esc_js_template('a`${alert(1)}`{{7*7}}')
    'a&#96;&#36;&#123;alert(1)&#125;&#96;&#123;&#123;7*7&#125;&#125;'
    """
    return esc(value, limit).translate(_JS_TEMPLATE)


def data_uri(data: bytes, mime: str) -> str:
    """``data:<mime>;base64,...``: how the kit's own figures and thumbnails are placed in
    HTML (nothing is loaded from anywhere)."""
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


STYLE = (
    "border-collapse:collapse;font-size:12px;font-family:sans-serif;"
)
_CELL = "border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top;"


def kv_table(rows: Iterable[tuple[Any, Any]], title: str | None = None) -> str:
    """A two-column key/value table; both columns escaped."""
    parts = []
    if title:
        parts.append(f"<h4 style='margin:6px 0 2px 0'>{esc(title)}</h4>")
    parts.append(f"<table style='{STYLE}'>")
    for key, value in rows:
        parts.append(
            f"<tr><th style='{_CELL}background:#f4f4f4'>{esc(key)}</th>"
            f"<td style='{_CELL}'>{esc(value)}</td></tr>"
        )
    parts.append("</table>")
    return "".join(parts)


def df_table(
    df: pd.DataFrame,
    max_rows: int = 200,
    cell_style: Mapping[str, str] | None = None,
) -> str:
    """Render a DataFrame as an HTML table with every header and cell escaped.

    ``pandas.DataFrame.to_html`` escapes by default, but column names, index values and
    ``escape=False`` mistakes are easy to get wrong; this helper has no switch to turn it off.
    ``cell_style`` maps a cell's string value to extra CSS (used for coloured matrices).
    """
    shown = df.head(max_rows)
    parts = [f"<table style='{STYLE}'><thead><tr>"]
    parts.append(f"<th style='{_CELL}'>{esc(shown.index.name or '')}</th>")
    for col in shown.columns:
        parts.append(f"<th style='{_CELL}background:#f4f4f4'>{esc(col)}</th>")
    parts.append("</tr></thead><tbody>")
    for idx, row in zip(shown.index, shown.itertuples(index=False), strict=True):
        parts.append(f"<tr><th style='{_CELL}'>{esc(idx)}</th>")
        for value in row:
            text = esc(value)
            extra = (cell_style or {}).get(str(value), "")
            parts.append(f"<td style='{_CELL}{esc(extra)}'>{text}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if len(df) > max_rows:
        parts.append(f"<p>… {len(df) - max_rows} more rows</p>")
    return "".join(parts)


def page(title: str, body_html: str) -> str:
    """A complete, self-contained HTML document (no external resources; CSP forbids them)."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">"
        f"<title>{esc(title)}</title></head><body style='font-family:sans-serif;margin:2em'>"
        f"{body_html}</body></html>"
    )
