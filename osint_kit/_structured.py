"""Untrusted structured text (YAML and JSON): the one loader every reader goes through.

A YAML or JSON file handed over with a case, a timeline or a places list may be written to
hurt: a 600-byte YAML file of nested aliases ("billion laughs") expands to gigabytes when
the loaded value is walked, thousands of nested brackets overflow the recursion of the
parsers (``RecursionError``), and a large file of tiny nodes turns into gigabytes of Python
objects. :func:`load_yaml` and :func:`load_json` refuse all of that before it costs memory:

* YAML aliases and anchors (``&a`` / ``*a``, and so ``<<`` merge keys) are refused: nothing
  the kit writes uses them and a hand-written table does not need them;
* the text is capped in bytes (:data:`MAX_BYTES`), the YAML document in nodes
  (:data:`MAX_NODES`) and both in nesting depth (:data:`MAX_DEPTH`);
* only PyYAML's safe constructors run (no Python objects from tags).

A refusal raises the caller's own error class (``TimelineError`` for a timeline,
``CaseError`` for case tables...) with the reason and the line, so each reader keeps the
exception its callers expect.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from osint_kit.errors import OsintKitError

#: bytes of YAML or JSON text read at most (files are refused above it)
MAX_BYTES = 16 << 20
#: nodes (scalars, lists, mappings) in one YAML document: PyYAML's pure-Python composer
#: needs about 0.7 KB and 55 us per node, so this bounds a load to ~200 MB and ~17 s
#: (about 7,000 records of 20 fields; larger case tables belong in CSV)
MAX_NODES = 300_000
#: nesting depth of lists and mappings (a case table needs 3)
MAX_DEPTH = 64

_ErrorClass = type[OsintKitError]


class _Refused(Exception):
    """Raised inside the loader; turned into the caller's error class by :func:`load_yaml`."""


def _loader_class() -> Any:
    import yaml

    class LimitedLoader(yaml.SafeLoader):
        """SafeLoader that refuses aliases and anchors and counts nodes and depth."""

        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self._nodes = 0
            self._depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            line = event.start_mark.line + 1 if event.start_mark else "?"
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _Refused(
                    f"line {line}: YAML aliases and anchors (&name, *name, << merges) are "
                    "refused (nested aliases are a 'billion laughs' memory bomb); write the "
                    "values out in full")
            self._nodes += 1
            if self._nodes > MAX_NODES:
                raise _Refused(f"more than {MAX_NODES} YAML nodes (line {line}); "
                               "split the file")
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refused(f"line {line}: lists or mappings nested more than "
                               f"{MAX_DEPTH} deep")
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    return LimitedLoader


_LOADER: Any = None


def read_text(path: str | Path, error: _ErrorClass, max_bytes: int | None = None,
              encoding: str = "utf-8") -> str:
    """The text of a small structured file, at most ``max_bytes`` (default
    :data:`MAX_BYTES`; ``error`` above it)."""
    p = Path(path)
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    try:
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        raise error(f"{p}: cannot read it ({err.strerror or err})") from err
    if len(data) > max_bytes:
        raise error(f"{p}: larger than the {max_bytes}-byte limit for YAML/JSON files; "
                    "split it")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise error(f"{p}: not {encoding.upper()} text ({err})") from err


def load_yaml_file(path: str | Path, error: _ErrorClass, *, max_bytes: int | None = None,
                   encoding: str = "utf-8") -> Any:
    """Load one YAML document safely from a file (see :func:`load_yaml`)."""
    text = read_text(path, error, max_bytes, encoding)
    return load_yaml(text, error, what=str(path), max_bytes=max_bytes)


def load_yaml(text: str, error: _ErrorClass, *, what: str = "YAML text",
              max_bytes: int | None = None) -> Any:
    """Load one YAML document safely from text.

    Raises ``error`` (an osint_kit error class) for oversized, aliased, too deep or invalid
    YAML; the message starts with ``what``.
    """
    global _LOADER
    import yaml

    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    if len(text) > max_bytes:
        raise error(f"{what}: larger than the {max_bytes}-byte limit for YAML text")
    if _LOADER is None:
        _LOADER = _loader_class()
    loader = None
    try:
        loader = _LOADER(text)  # its reader already refuses control characters
        return loader.get_single_data()
    except _Refused as err:
        raise error(f"{what}: {err}") from None
    except yaml.YAMLError as err:
        raise error(f"{what}: not valid YAML ({err})") from err
    except (ValueError, OverflowError) as err:  # a constructor's own: 2022-13-01 (fuzzing)
        raise error(f"{what}: not valid YAML ({err})") from err
    except RecursionError as err:  # a constructor recursing below MAX_DEPTH on a small stack
        raise error(f"{what}: nested too deeply") from err
    finally:
        if loader is not None:
            loader.dispose()


#: a JSON string literal, or one bracket
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)


def json_depth(text: str) -> int:
    """How deeply lists and objects nest in JSON text (strings are skipped); linear time."""
    depth = top = 0
    for match in _JSON_TOKEN.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            top = max(top, depth)
        elif char in "]}":
            depth -= 1
    return top


def load_json(text: str | bytes, error: _ErrorClass, *, what: str = "JSON text",
              max_bytes: int | None = None, max_depth: int = MAX_DEPTH,
              unsafe: _ErrorClass | None = None) -> Any:
    """``json.loads`` for untrusted text: size and nesting are capped first.

    Invalid JSON raises ``error``; text over a limit raises ``unsafe`` (default ``error``),
    e.g. ``UnsafeArchiveError`` for an exchange zip. Never ``RecursionError``.
    """
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    unsafe = unsafe or error
    if len(text) > max_bytes:
        raise unsafe(f"{what}: larger than the {max_bytes}-byte limit")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as err:
            raise error(f"{what}: not UTF-8 ({err})") from err
    if ("[" in text or "{" in text) and json_depth(text) > max_depth:
        raise unsafe(f"{what}: lists or objects nested more than {max_depth} deep")
    try:
        return json.loads(text)
    except RecursionError as err:  # unreachable after the depth check; kept as a backstop
        raise unsafe(f"{what}: nested too deeply") from err
    except ValueError as err:
        raise error(f"{what}: not valid JSON ({err})") from err
