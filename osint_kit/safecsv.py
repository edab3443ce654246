"""The one place CSV files are written and read: formulas neutralised, long fields allowed.

Every CSV osint_kit writes (scan tables, Timesketch CSV, timeline tables, case tables, source
tables) holds text that came from evidence, and spreadsheets run a cell that starts with
``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or carriage return) as a formula: a file
name such as ``=HYPERLINK("http://…","x")`` would phone home, or worse, when the table is
opened. :func:`neutralise` puts a single quote before such a text cell (the OWASP rule:
spreadsheets then show it as text); :func:`restore` removes it again on import, so the round
trip is lossless. To stay reversible, a text that already starts with quotes followed by a
trigger character gets one more quote (``'=x`` is written ``''=x``). Numbers are never
changed (``-3`` stays a number).

Python's csv module refuses fields over 131,072 characters (``_csv.Error``); the readers
here allow :data:`MAX_FIELD` characters, so a long description written by the kit reads back.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Characters that make a spreadsheet read a cell as a formula when they come first.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_WAS_QUOTED = re.compile(r"'+[=+\-@\t\r]")
#: Longest CSV field the readers accept (characters).
MAX_FIELD = 256 * 1024 * 1024


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula.

    >>> neutralise('=HYPERLINK("http://x")'), neutralise("-3 km"), neutralise(-3)
    ('\\'=HYPERLINK("http://x")', "'-3 km", -3)
    """
    if isinstance(value, str) and _NEEDS_QUOTE.match(value):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The inverse of :func:`neutralise` (for text read back from a CSV the kit wrote).

    >>> restore("'=1+1"), restore("''=x"), restore("'quoted"), restore("plain")
    ('=1+1', "'=x", "'quoted", 'plain')
    """
    if isinstance(value, str) and _WAS_QUOTED.match(value):
        return value[1:]
    return value


def neutralise_row(row: Any) -> list[Any]:
    """Every cell of ``row`` through :func:`neutralise`."""
    return [neutralise(v) for v in row]


def _map_text(df: pd.DataFrame, convert: Any) -> pd.DataFrame:
    """A copy of ``df`` with ``convert`` applied to every text cell and column name."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(convert)
    out.columns = [convert(c) for c in out.columns]
    return out


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell (and column name) neutralised."""
    return _map_text(df, neutralise)


def restore_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell (and column name) restored."""
    return _map_text(df, restore)


def write_frame(df: pd.DataFrame, path: Any, **kwargs: Any) -> None:
    """``df.to_csv(path, index=False)`` with formulas neutralised (UTF-8).

    Text cells are always quoted: pandas leaves a cell holding a lone carriage return
    unquoted, and a reader then splits the row there.
    """
    kwargs.setdefault("index", False)
    kwargs.setdefault("encoding", "utf-8")
    kwargs.setdefault("quoting", csv.QUOTE_NONNUMERIC)
    neutralise_frame(df).to_csv(path, **kwargs)


@contextlib.contextmanager
def long_fields() -> Iterator[None]:
    """Let the csv module read fields up to :data:`MAX_FIELD` characters inside the block."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, MAX_FIELD))
    try:
        yield
    finally:
        csv.field_size_limit(old)


__all__ = ["FORMULA_START", "MAX_FIELD", "long_fields", "neutralise", "neutralise_frame",
           "neutralise_row", "restore", "restore_frame", "write_frame"]
