"""The reverse-search links as HTML: the disclosure warning first, then one link per engine.

Nothing here opens a link: the researcher clicks, or not. Every text goes through
``osint_kit._html.esc`` (the address included: it holds an image URL someone else wrote), and
only ``https://`` links are written as links, so a hand-made :class:`SearchLink` with a
``javascript:`` address shows as text.
"""

from __future__ import annotations

from collections.abc import Iterable

from osint_kit._html import esc
from osint_kit.media.similar.reverse import DISCLOSURE, SearchLink

_WARNING_STYLE = ("border:1px solid #e0b252;background:#fff4d6;padding:4px 8px;"
                  "margin:4px 0;font-size:12px;font-family:sans-serif;max-width:48em")
_LIST_STYLE = "font-size:12px;font-family:sans-serif;margin:4px 0"


def _link(link: SearchLink) -> str:
    name = f"<b>{esc(link.engine)}</b>"
    if link.url.lower().startswith("https://"):
        anchor = (f"<a href=\"{esc(link.url)}\" rel=\"noopener noreferrer\" "
                  f"target=\"_blank\">{name}</a>")
    else:
        anchor = f"{name} <code>{esc(link.url, limit=200)}</code> (not an https link)"
    return (f"<li>{anchor}: {esc(link.instruction)}"
            f"<br><span style='color:#555'>Discloses to {esc(link.discloses)}</span></li>")


def search_links_html(links: Iterable[SearchLink]) -> str:
    """An HTML list of the engines' links (new tab, no referrer), the warning shown above."""
    items = "".join(_link(link) for link in links)
    if not items:
        items = "<li>No links.</li>"
    return (f"<div><p style='{_WARNING_STYLE}'><b>Before you search:</b> {esc(DISCLOSURE)}</p>"
            f"<ul style='{_LIST_STYLE}'>{items}</ul></div>")
