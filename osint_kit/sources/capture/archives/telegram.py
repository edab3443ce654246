"""Telegram Desktop exports (``result.json`` + media folders) as messages, sources, claims.

Telegram Desktop's "Export chat history" (format: JSON) writes ``result.json``: a single chat
(``name``, ``type``, ``id``, ``messages``) or a full account export (``chats.list[*]`` and
``left_chats.list[*]``, each with ``messages``). Each message has ``id``, ``type``
("message" or "service"), ``date`` (the **exporting computer's local time**, no zone) and
``date_unixtime`` (seconds since the epoch as text: the UTC instant). Optional: ``from`` /
``from_id``, ``edited`` / ``edited_unixtime``, ``reply_to_message_id``, ``forwarded_from``,
``saved_from``, ``text`` (a string, or a list of strings and entity objects ``{"type":
"text_link", "text": ..., "href": ...}``), ``photo`` / ``file`` (paths relative to the
export folder, or "(File not included...)"), ``media_type``; service messages carry
``actor`` and ``action``.

What is trusted: UTC times come from ``date_unixtime`` / ``edited_unixtime`` only (``date``
is kept as text and never read as UTC); forwards name their origin as Telegram shows it
(``forwarded_from``), which becomes a ``copies`` edge to that origin so
:func:`~osint_kit.sources.independence.independent_origins` counts many channels forwarding
one post as one origin. Media paths must resolve inside the export folder (no ``..``,
absolute paths or links out); others are refused with a warning.

The file is read as a stream (ijson), so memory stays bounded by one message, whatever the
export's size; limits (nesting, string and value sizes, time) are those of
:class:`~osint_kit.sources.capture.archives.limits.ArchiveLimits`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, cast

import pandas as pd

from osint_kit._html import df_table, kv_table
from osint_kit._io import open_readonly, stat_evidence
from osint_kit.errors import ArchiveError, ArchiveLimitError, ArchivePathError, EvidenceError
from osint_kit.sources.capture.archives.limits import DEFAULT_LIMITS, ArchiveLimits, TokenGuard
from osint_kit.sources.models import Claim, Source

MESSAGE_COLUMNS: tuple[str, ...] = (
    "chat", "chat_id", "message_id", "type", "posted_utc", "date_local", "edited_utc",
    "author", "author_id", "text", "links", "reply_to", "forwarded_from", "saved_from",
    "media", "action", "source_id", "warnings",
)
MEDIA_COLUMNS: tuple[str, ...] = ("source_id", "message_id", "field", "path", "status",
                                  "sha256", "size")
_MEDIA_FIELDS = ("photo", "file")
_CHAT_PATHS = frozenset({("$",), ("$", "chats", "list", "#"), ("$", "left_chats", "list", "#")})
_STARTS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")


@dataclass(frozen=True)
class TelegramMedia:
    """A media file a message points at: its path in the export, status and SHA-256."""

    field: str
    path: str
    status: str
    sha256: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class TelegramMessage:
    """One message (or service message) of an export, its UTC times from the unixtime fields."""

    chat: str
    chat_id: str
    message_id: int
    type: str
    posted_utc: str | None
    date_local: str | None
    edited_utc: str | None
    author: str | None
    author_id: str | None
    text: str
    links: tuple[str, ...]
    reply_to: int | None
    forwarded_from: str | None
    saved_from: str | None
    media: tuple[TelegramMedia, ...]
    action: str | None
    warnings: tuple[str, ...] = ()

    @property
    def is_service(self) -> bool:
        return self.type == "service"

    @property
    def source_id(self) -> str:
        return f"tg-{_slug(self.chat) or self.chat_id or 'chat'}-{self.message_id}"

    @property
    def origin_name(self) -> str | None:
        """The channel or user a forward (or a saved message) comes from, as Telegram names it."""
        return self.forwarded_from or self.saved_from

    def to_row(self) -> dict[str, Any]:
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        row["links"] = "; ".join(self.links)
        row["media"] = "; ".join(f"{m.path} ({m.status})" for m in self.media)
        row["warnings"] = "; ".join(self.warnings)
        row["source_id"] = self.source_id
        return {c: row[c] for c in MESSAGE_COLUMNS}

    def __repr__(self) -> str:
        return (f"TelegramMessage({self.chat!r} #{self.message_id}, {self.posted_utc}, "
                f"{self.text[:40]!r})")

    def _repr_html_(self) -> str:
        return kv_table(list(self.to_row().items()), title="Telegram message")


def _slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")[:40]


#: ``forwarded_from`` of a forward whose origin has no name in the export (``null``: Telegram
#: Desktop writes null when the origin peer's name is empty, e.g. a deleted account)
UNNAMED_ORIGIN = "(origin without a name in the export)"


def origin_source_id(name: str, message: TelegramMessage | None = None) -> str:
    """The source id of a forward's origin channel/user (``tg-<slug>``).

    An unnamed origin cannot be traced: each such forward gets its own placeholder (counting
    two unnamed origins as one could hide an independent confirmation, and as two may count
    a copy; the notes say independence is unknown).
    """
    if name == UNNAMED_ORIGIN and message is not None:
        return f"tg-unnamed-origin-{_slug(message.chat) or 'chat'}-{message.message_id}"
    return f"tg-{_slug(name) or 'unknown'}"


def _utc(value: Any) -> str | None:
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if not -62_135_596_800 < seconds < 253_402_300_799:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat().replace("+00:00", "Z")


def flatten_text(value: Any) -> tuple[str, tuple[str, ...]]:
    """Telegram ``text`` (a string or a list of strings/entities) -> (plain text, links)."""
    if isinstance(value, str):
        return value, ()
    if not isinstance(value, list):
        return "", ()
    parts: list[str] = []
    links: list[str] = []
    for item in value:
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, dict):
            text = item.get("text")
            text = text if isinstance(text, str) else ""
            parts.append(text)
            kind = item.get("type")
            href = item.get("href")
            if kind == "text_link" and isinstance(href, str):
                links.append(href)
            elif kind == "link" and text:
                links.append(text)
    return "".join(parts), tuple(dict.fromkeys(links))


def _media(msg: dict[str, Any], root: Path, hash_media: bool,
           warnings: list[str]) -> tuple[TelegramMedia, ...]:
    out = []
    for name in _MEDIA_FIELDS:
        value = msg.get(name)
        if not isinstance(value, str) or not value:
            continue
        if value.startswith("(") or value.lower().startswith("file not included"):
            out.append(TelegramMedia(name, value[:200], "not included in the export"))
            continue
        try:
            path = media_path(root, value)
        except ArchivePathError as err:
            warnings.append(str(err))
            out.append(TelegramMedia(name, value[:500], "refused: outside the export folder"))
            continue
        if not path.is_file():
            out.append(TelegramMedia(name, value[:500], "missing"))
            continue
        if not hash_media:
            out.append(TelegramMedia(name, value[:500], "present (not hashed)"))
            continue
        try:
            sha, size = hashlib.sha256(), 0
            with open_readonly(path) as fh:
                while block := fh.read(1 << 20):
                    sha.update(block)
                    size += len(block)
        except (EvidenceError, OSError) as err:
            out.append(TelegramMedia(name, value[:500], f"unreadable: {err}"))
            continue
        out.append(TelegramMedia(name, value[:500], "ok", sha.hexdigest(), size))
    return tuple(out)


def media_path(root: Path, relative: str) -> Path:
    """The file ``relative`` names inside the export folder ``root``; refuses any escape."""
    rel = relative.replace("\\", "/")
    if "\x00" in rel or rel.startswith("/") or re.match(r"^[A-Za-z]:", rel) or \
            ".." in rel.split("/"):
        raise ArchivePathError(f"media path {relative[:200]!r} points outside the export "
                               "folder: refused, not read")
    base = root.resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base):
        raise ArchivePathError(f"media path {relative[:200]!r} leads outside the export folder "
                               "(through a link): refused, not read")
    return target


def _message(msg: dict[str, Any], chat: dict[str, str], root: Path, hash_media: bool,
             extra: list[str]) -> TelegramMessage | str:
    mid = msg.get("id")
    if isinstance(mid, bool) or not isinstance(mid, int):
        return f"{chat['name']}: a message without an integer id was skipped"
    warnings = list(extra)
    posted = _utc(msg.get("date_unixtime"))
    if posted is None:
        warnings.append("no usable date_unixtime: the local 'date' is not read as UTC")
    edited = _utc(msg.get("edited_unixtime"))
    if msg.get("edited") is not None and edited is None:
        warnings.append("edited, but no usable edited_unixtime")
    text, links = flatten_text(msg.get("text"))

    def s(key: str) -> str | None:
        v = msg.get(key)
        return str(v)[:500] if isinstance(v, str | int) and not isinstance(v, bool) \
            and str(v) else None

    reply = msg.get("reply_to_message_id")
    return TelegramMessage(
        chat=chat["name"], chat_id=chat["id"], message_id=mid,
        type=str(msg.get("type") or "message")[:40], posted_utc=posted,
        date_local=s("date"), edited_utc=edited, author=s("from") or s("actor"),
        author_id=s("from_id") or s("actor_id"), text=text, links=links,
        reply_to=reply if isinstance(reply, int) and not isinstance(reply, bool) else None,
        forwarded_from=s("forwarded_from") or (UNNAMED_ORIGIN if "forwarded_from" in msg
                                               else None),
        saved_from=s("saved_from"),
        media=_media(msg, root, hash_media, warnings), action=s("action"),
        warnings=tuple(warnings))


class _Builder:
    """Builds one message object from parser events with limits on depth, strings, values."""

    def __init__(self, limits: ArchiveLimits) -> None:
        self.lim = limits
        self.stack: list[Any] = []
        self.keys: list[str | None] = []
        self.depth = 0
        self.values = 0
        self.skip: str | None = None
        self.notes: list[str] = []
        self.result: dict[str, Any] | None = None

    def _put(self, value: Any) -> None:
        if not self.stack:
            self.result = value
            return
        top = self.stack[-1]
        if isinstance(top, list):
            top.append(value)
        else:
            top[self.keys[-1] or ""] = value

    def event(self, kind: str, value: Any) -> bool:
        """Feed one event; True when the message is complete."""
        if kind in ("start_map", "start_array"):
            self.depth += 1
            if self.depth > self.lim.max_depth and self.skip is None:
                self.skip = f"nested deeper than {self.lim.max_depth} levels"
            if self.skip is None:
                self.stack.append({} if kind == "start_map" else [])
                self.keys.append(None)
            return False
        if kind in ("end_map", "end_array"):
            self.depth -= 1
            if self.skip is None:
                done = self.stack.pop()
                self.keys.pop()
                self._put(done)
            return self.depth == 0
        self.values += 1
        if self.values > self.lim.max_values and self.skip is None:
            self.skip = f"more than {self.lim.max_values} values"
        if self.skip is not None:
            return False
        if kind == "map_key":
            self.keys[-1] = value
            return False
        if isinstance(value, str) and len(value) > self.lim.max_string_chars:
            self.notes.append(f"a {len(value)}-character string was cut to "
                              f"{self.lim.max_string_chars} (ArchiveLimits.max_string_chars)")
            value = value[: self.lim.max_string_chars]
        self._put(value)
        return False


def iter_telegram(path: str | Path, *, limits: ArchiveLimits | None = None,
                  hash_media: bool = True,
                  warnings: list[str] | None = None) -> Iterator[TelegramMessage]:
    """Stream the messages of ``result.json`` (or a folder holding it), one at a time.

    Malformed messages (no id, too deep, too many values) are skipped and said in
    ``warnings`` (a list you pass); a file that is not JSON, or one value above
    ``max_token_bytes``, raises ArchiveError / ArchiveLimitError.
    """
    return _stream(path, limits, hash_media, warnings, None)


def _stream(path: str | Path, limits: ArchiveLimits | None, hash_media: bool,
            warnings: list[str] | None, digest: list[str] | None) -> Iterator[TelegramMessage]:
    """:func:`iter_telegram`; with ``digest`` the file's SHA-256 is appended to it at the end
    (hashed in the same pass)."""
    import ijson

    lim = limits or DEFAULT_LIMITS
    p = Path(path)
    if p.is_dir():
        p = p / "result.json"
    stat_evidence(p)
    root = p.parent
    notes = warnings if warnings is not None else []
    with open_readonly(p) as raw:
        guard = TokenGuard(raw, lim, p.name)
        labels: list[str] = []  # how each open container sits in its parent: $, key, #
        kinds: list[str] = []
        deep = 0  # levels below the tracked outer structure (not messages: skipped)
        key: str | None = None
        chat: dict[str, str] = {"name": "", "id": ""}
        builder: _Builder | None = None
        feed = None
        try:
            for kind, value in ijson.basic_parse(guard, use_float=True):
                guard.events += 1
                if feed is not None:
                    if feed(kind, value):
                        done = cast(_Builder, builder)
                        builder = feed = None
                        if done.skip is not None:
                            notes.append(f"{chat['name'] or p.name}: a message was skipped "
                                         f"({done.skip})")
                            continue
                        built = _message(done.result or {}, chat, root, hash_media, done.notes)
                        if isinstance(built, str):
                            notes.append(built)
                        else:
                            yield built
                    continue
                if deep:
                    deep += 1 if kind in _STARTS else (-1 if kind in _ENDS else 0)
                    continue
                if kind == "map_key":
                    key = value
                    continue
                if kind in _STARTS:
                    label = "$" if not labels else ("#" if kinds[-1] == "array" else key or "")
                    new = (*labels, label)
                    if kind == "start_map" and new[-2:] == ("messages", "#") and \
                            new[:-2] in _CHAT_PATHS:
                        builder = _Builder(lim)
                        feed = builder.event
                        feed(kind, value)
                        continue
                    if len(labels) >= 8:
                        deep = 1
                        continue
                    labels.append(label)
                    kinds.append("map" if kind == "start_map" else "array")
                    if kind == "start_map" and new in _CHAT_PATHS:
                        chat = {"name": "", "id": ""}
                    key = None
                    continue
                if kind in _ENDS:
                    if labels:
                        labels.pop()
                        kinds.pop()
                    key = None
                    continue
                if key in ("name", "id") and tuple(labels) in _CHAT_PATHS:
                    chat = {**chat, key: str(value)[:200]}
                key = None
        except ijson.common.IncompleteJSONError as err:
            raise ArchiveError(f"{p.name}: not complete JSON after {guard.events} parser events "
                               f"({_first_line(err)}); a cut or damaged export?") from err
        except (ijson.common.JSONError, UnicodeDecodeError) as err:
            raise ArchiveError(f"{p.name}: not a Telegram JSON export ({_first_line(err)})") \
                from err
        except RecursionError as err:
            raise ArchiveLimitError(f"{p.name}: nested too deeply to parse") from err
        if guard.events == 0:
            raise ArchiveError(f"{p.name}: empty file; not a Telegram export")
        if digest is not None:
            guard.drain()
            digest.append(guard.sha256.hexdigest())


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return (text.splitlines()[0] if text else type(err).__name__)[:200]


@dataclass(frozen=True)
class TelegramExport:
    """An export read whole: messages, service messages kept apart, warnings, file hash."""

    path: str
    sha256: str
    messages: tuple[TelegramMessage, ...]
    service: tuple[TelegramMessage, ...]
    warnings: tuple[str, ...]

    @property
    def folder(self) -> Path:
        return Path(self.path).parent

    def frame(self, service: bool = False) -> pd.DataFrame:
        """Messages (or the service messages) as a DataFrame with :data:`MESSAGE_COLUMNS`."""
        items = self.service if service else self.messages
        return pd.DataFrame([m.to_row() for m in items], columns=list(MESSAGE_COLUMNS))

    def media_frame(self) -> pd.DataFrame:
        rows = [{"source_id": m.source_id, "message_id": m.message_id, "field": x.field,
                 "path": x.path, "status": x.status, "sha256": x.sha256, "size": x.size}
                for m in self.messages for x in m.media]
        return pd.DataFrame(rows, columns=list(MEDIA_COLUMNS))

    def timeline_records(self) -> pd.DataFrame:
        """Rows for the ``telegram_message`` entry of the timeliner map."""
        df = self.frame()
        df["text_short"] = df["text"].str.slice(0, 80)
        return df

    def sources(self) -> list[Source]:
        """One Source per message, plus one per forward origin (copies edges point there)."""
        own = {m.source_id: m for m in self.messages}
        by_text = _originals(self.messages)
        out: list[Source] = []
        origins: dict[str, str] = {}
        for m in self.messages:
            copies: tuple[str, ...] = ()
            if m.origin_name:
                target = by_text.get((_slug(m.origin_name), m.text.strip()))
                if target is None or target == m.source_id:
                    target = origin_source_id(m.origin_name, m)
                    origins.setdefault(target, m.origin_name)
                copies = (target,)
            how = "forwarded from" if m.forwarded_from else "saved from"
            out.append(Source(
                id=m.source_id, title=(m.text.split("\n")[0][:120] or f"message {m.message_id}"),
                publisher=f"Telegram: {m.chat}" if m.chat else "Telegram",
                author=m.author, kind="social media post", published=m.posted_utc,
                captured_at=None, copies=copies,
                notes="; ".join(filter(None, [
                    f"Telegram Desktop export {Path(self.path).name} (SHA-256 {self.sha256}), "
                    f"chat {m.chat!r} message {m.message_id}",
                    f"{how} {m.origin_name!r}" if m.origin_name else None,
                    f"edited {m.edited_utc}" if m.edited_utc else None,
                    f"reply to message {m.reply_to}" if m.reply_to is not None else None,
                    f"links: {', '.join(m.links)}" if m.links else None,
                ]))[:4000]))
        for sid, name in origins.items():
            if sid in own:
                continue
            unnamed = name == UNNAMED_ORIGIN
            out.append(Source(
                id=sid, title=f"Telegram: {name}", publisher=None if unnamed else name,
                kind="social media post",
                notes="the export names no origin (forwarded_from is null): it cannot be "
                      "traced, its independence is unknown" if unnamed else
                      "origin named by forwards in the export; the original post itself is "
                      "not in this export"))
        return out

    def claims(self) -> list[Claim]:
        """One unconfirmed claim per message with text (who said it: the origin for forwards).

        Forwards need no ``origin_id``: their source ``copies`` the origin, which is the edge
        :func:`~osint_kit.sources.independence.independent_origins` follows.
        """
        out = []
        wanted = {f.name for f in fields(Claim)}
        for m in self.messages:
            if not m.text.strip():
                continue
            extra: dict[str, Any] = {}
            if "stated" in wanted:
                extra["stated"] = m.posted_utc
            out.append(Claim(
                id=f"c-{m.source_id}", source_id=m.source_id, text=m.text[:4000],
                claimant=m.origin_name or m.author,
                provenance=f"Telegram message {m.message_id} of {m.chat!r}; posted "
                           f"{m.posted_utc or 'unknown'} UTC (date_unixtime)",
                **extra))
        return out

    def __repr__(self) -> str:
        return (f"TelegramExport({Path(self.path).name!r}, {len(self.messages)} messages, "
                f"{len(self.service)} service, {len(self.warnings)} warnings)")

    def _repr_html_(self) -> str:
        return kv_table([("export", self.path), ("SHA-256", self.sha256),
                         ("messages", len(self.messages)), ("service", len(self.service)),
                         ("warnings", "; ".join(self.warnings[:20]))],
                        title="Telegram export") + df_table(self.frame().head(50))


def _originals(messages: tuple[TelegramMessage, ...]) -> dict[tuple[str, str], str]:
    """(channel slug, text) -> source id of a channel's own post, to link forwards to it."""
    out: dict[tuple[str, str], str] = {}
    for m in messages:
        if not m.origin_name and m.text.strip():
            out.setdefault((_slug(m.chat), m.text.strip()), m.source_id)
    return out


def read_telegram(path: str | Path, *, limits: ArchiveLimits | None = None,
                  hash_media: bool = True) -> TelegramExport:
    """Read a whole export (``result.json`` or its folder); service messages kept apart."""
    p = Path(path)
    if p.is_dir():
        p = p / "result.json"
    warnings: list[str] = []
    messages: list[TelegramMessage] = []
    service: list[TelegramMessage] = []
    digest: list[str] = []
    for m in _stream(p, limits, hash_media, warnings, digest):
        (service if m.is_service else messages).append(m)
        warnings.extend(f"{m.source_id}: {w}" for w in m.warnings)
    if not messages and not service:
        warnings.append(f"{p.name}: no messages found (is this a Telegram export?)")
    return TelegramExport(path=os.fspath(p), sha256=digest[0], messages=tuple(messages),
                          service=tuple(service), warnings=tuple(warnings))


def merge_exports(*exports: TelegramExport) -> list[Source]:
    """Sources of several exports with forwards linked across them (one origin, many channels).

    A forward whose text equals a post of the channel it names, in any export given, copies
    that post; otherwise it copies the channel's placeholder source.
    """
    everything = tuple(m for e in exports for m in e.messages)
    combined = TelegramExport(path=exports[0].path if exports else "result.json",
                              sha256=";".join(e.sha256[:12] for e in exports),
                              messages=everything, service=(), warnings=())
    by_id = {e_m.source_id: e for e in exports for e_m in e.messages}
    out = []
    for src in combined.sources():
        owner = by_id.get(src.id)
        if owner is not None:
            note = (src.notes or "").replace(
                f"Telegram Desktop export {Path(combined.path).name} (SHA-256 {combined.sha256})",
                f"Telegram Desktop export {Path(owner.path).name} (SHA-256 {owner.sha256})")
            from dataclasses import replace

            src = replace(src, notes=note)
        out.append(src)
    return out
