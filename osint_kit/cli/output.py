"""How every ``osint-kit`` subcommand prints and writes: cleaned text, tables, files.

Values come from evidence, so everything printed goes through
:func:`osint_kit.display.text.terminal_text` (no escape sequences reach the terminal).
Files the CLI writes are readable by others like any file a shell command creates
(``0666`` minus the umask, i.e. 0644 by default), not the 0600 of a temporary file.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osint_kit import safecsv
from osint_kit.display.text import terminal_text
from osint_kit.errors import OsintKitError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Longest cell printed in a table (the CSV/JSON outputs keep everything).
CELL_WIDTH = 60


def clean(value: Any, width: int | None = None) -> str:
    """One line of terminal-safe text (``None`` and NaN print as nothing)."""
    return terminal_text(value, width)


def print_table(df: pd.DataFrame, columns: list[str] | None = None,
                width: int | None = CELL_WIDTH, index: bool = False) -> None:
    """A plain, aligned text table of ``df``: every cell cleaned, none cut below ``width``."""
    frame = df if columns is None else df[[c for c in columns if c in df.columns]]
    if index:
        frame = frame.reset_index()
    heads = [clean(c) for c in frame.columns]
    rows = [[clean(v, width) for v in row] for row in frame.itertuples(index=False)]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip())
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def json_safe(value: Any) -> Any:
    """Datetimes as ISO strings, NaN as null, everything else as JSON takes it."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


#: DEL and the C1 controls (U+0080-U+009F, e.g. the one-byte CSI U+009B): json escapes only
#: U+0000-U+001F, and a terminal acts on these; written as \u escapes the JSON means the same.
_C1 = re.compile("[\x7f-\x9f]")


def print_json(records: Any) -> None:
    text = json.dumps(records, ensure_ascii=False, indent=2, default=str)
    print(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): json_safe(v) for k, v in row.items()} for row in df.to_dict("records")]


def shared_mode(path: Path) -> Path:
    """Give a written file the mode a shell would (0666 minus the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)
    return path


def write_table(df: pd.DataFrame, out: str | Path, option: str = "--out") -> Path:
    """Write ``df`` as CSV, Parquet or JSON, chosen by the suffix of ``out``."""
    target = Path(out)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".parquet", ".json"):
        raise OsintKitError(f"{option} {target}: use a .csv, .parquet or .json file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        safecsv.write_frame(df, target)  # formulas in evidence strings neutralised
    elif suffix == ".parquet":
        df.to_parquet(target, index=False)
    else:
        target.write_text(json.dumps(frame_records(df), ensure_ascii=False, indent=1,
                                     default=str), encoding="utf-8")
    return shared_mode(target)
