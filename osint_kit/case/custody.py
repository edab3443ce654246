"""The chain-of-custody log: append-only entries, each carrying the hash of the one before.

An entry is a canonical JSON object (see :func:`osint_kit.case.schema.canonical_json`) with the
keys of :data:`osint_kit.case.schema.CUSTODY_COLUMNS` minus ``hash``; its hash is the SHA-256
of those UTF-8 bytes. Each entry names the previous entry's hash in ``prev`` (the first one
names :data:`GENESIS`), so changing, deleting, reordering or inserting any entry breaks the
chain somewhere a walk can point at. A separate head record (last ``seq`` and ``hash``) is
updated in the same transaction, so deleting the *last* entry is detected as well, unless the
head record is moved back with it.

Entries that change a record also carry ``record_sha256``, the hash of the record's canonical
JSON after the change: :func:`check_records` uses it to find records edited behind the case's
back. An intake entry also records the evidence fields fixed at intake: :func:`check_evidence`
holds each evidence record to them. The functions here are pure; :mod:`osint_kit.case.store`
writes the entries.

This is tamper-*evident*, not tamper-proof: someone who rewrites the database consistently
(a rebuilt chain, or the last entries cut with the head record moved back) leaves a valid
case. Note :meth:`Case.custody_head` (``"<seq>:<hash>"``) outside the case, or export it as
a head file to timestamp, and pass it back as ``verify(expected_head=...)`` to detect that
up to the noted entry. docs/case.md says exactly what is and is not covered.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osint_kit._html import df_table, esc, kv_table
from osint_kit._structured import load_json
from osint_kit.case.schema import EVIDENCE_IMMUTABLE, GENESIS, canonical_json
from osint_kit.errors import CaseError, IntegrityError

#: Problem kinds, the vocabulary of verify().
KINDS = ("altered", "missing", "inserted", "reordered")


def entry_hash(text: str | bytes) -> str:
    """SHA-256 (hex) of an entry's canonical JSON text (UTF-8 bytes)."""
    raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return hashlib.sha256(raw).hexdigest()


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 of a record's canonical JSON: what custody entries pin a record's state to."""
    return hashlib.sha256(canonical_json(dict(record)).encode("utf-8")).hexdigest()


def make_entry(
    *,
    seq: int,
    prev: str,
    ts: str,
    actor: str,
    tool: str,
    action: str,
    table: str | None = None,
    record_id: str | None = None,
    record_sha256: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> tuple[str, str]:
    """Build one entry; return (canonical JSON text, its hash)."""
    entry = {
        "seq": seq,
        "ts": ts,
        "actor": actor,
        "tool": tool,
        "action": action,
        "table": table,
        "record_id": record_id,
        "record_sha256": record_sha256,
        "details": dict(details or {}),
        "prev": prev,
    }
    text = canonical_json(entry)
    return text, entry_hash(text)


@dataclass(frozen=True)
class Problem:
    """One integrity problem: what kind, on what, where, and why we think so."""

    kind: str  # one of KINDS
    what: str  # "evidence", "custody", "record", "head", "database"
    where: str  # e.g. "custody entry #7", "evidence E0003 (objects/ab/...)", "claims/C0002"
    detail: str

    def __repr__(self) -> str:
        return f"<Problem {self.kind} {self.what} {self.where}: {self.detail}>"

    def _repr_html_(self) -> str:
        return kv_table([("kind", self.kind), ("what", self.what), ("where", self.where),
                         ("detail", self.detail)], title="Integrity problem")


_HEAD_TOKEN = re.compile(r"^\s*#?(\d+)\s*:\s*([0-9a-f]{64})\s*$")
_BARE_HASH = re.compile(r"^\s*([0-9a-f]{64})\s*$")
HEAD_FILE_TITLE = "osint_kit custody head"


@dataclass(frozen=True)
class CustodyHead:
    """The last custody entry of a case: its sequence number and hash (what to note down).

    ``str(head)`` is the token ``"<seq>:<sha256>"`` that ``verify(expected_head=...)`` takes
    back. Noted outside the case (a colleague's mail, a report, an RFC 3161 timestamp of
    :meth:`to_text`), it lets ``verify`` detect a later rewrite or shortening of the log up
    to that entry; it says nothing about entries appended after it.
    """

    seq: int
    hash: str
    ts: str | None = None  # the time written in that entry (UTC)
    title: str | None = None  # the case title, for the reader of a head file

    @property
    def token(self) -> str:
        return f"{self.seq}:{self.hash}"

    def __str__(self) -> str:
        return self.token

    def __repr__(self) -> str:
        return f"<CustodyHead #{self.seq} {self.hash[:12]}… {self.ts or ''}>"

    def _repr_html_(self) -> str:
        return kv_table([("entry", self.seq), ("sha256", self.hash), ("time (UTC)", self.ts),
                         ("case", self.title), ("verify with", f"expected_head={self.token!r}")],
                        title="Custody head")

    def to_text(self) -> str:
        """The head file's text: a few stable lines, made to be kept or timestamped."""
        title = " ".join((self.title or "").splitlines())  # one line: no field forged
        return "".join(f"{k}: {v}\n" for k, v in (
            ("format", HEAD_FILE_TITLE), ("case", title), ("entry", self.seq),
            ("time", self.ts or ""), ("sha256", self.hash),
            ("verify", f"case.verify(expected_head={self.token!r})")))

    @classmethod
    def parse(cls, value: CustodyHead | str) -> CustodyHead | str:
        """A head from its token ``"seq:hash"`` or a head file's text; a bare hash (the old
        form, without its sequence number) is returned as it is."""
        if isinstance(value, CustodyHead):
            return value
        text = str(value)
        match = _HEAD_TOKEN.match(text)
        if match:
            return cls(int(match.group(1)), match.group(2))
        if _BARE_HASH.match(text):
            return text.strip()
        fields = dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
        if fields.get("format") == HEAD_FILE_TITLE and fields.get("entry", "").isdigit() \
                and _BARE_HASH.match(fields.get("sha256", "")):
            return cls(int(fields["entry"]), fields["sha256"].strip(), fields.get("time") or None,
                       fields.get("case") or None)
        raise CaseError(f"{text[:80]!r} is not a custody head: give '<seq>:<sha256>' as "
                        "printed by case.custody_head(), or the text of a head file")

    @classmethod
    def read(cls, path: str | Path) -> CustodyHead:
        """Read a head file written by ``Case.export_head``."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise CaseError(f"{path}: cannot read the head file ({err})") from err
        head = cls.parse(text)
        if not isinstance(head, CustodyHead):
            raise CaseError(f"{path}: not a head file written by Case.export_head")
        return head


@dataclass(frozen=True)
class VerifyReport:
    """The result of ``case.verify()``: every problem found, plus what was checked."""

    problems: tuple[Problem, ...]
    entries_checked: int
    files_checked: int
    records_checked: int
    head: str | None
    warnings: tuple[str, ...] = field(default=())
    head_seq: int | None = None  # the sequence number of the head entry

    @property
    def custody_head(self) -> CustodyHead | None:
        """The head at the time of the check (note ``str(...)`` of it down)."""
        return None if self.head is None or self.head_seq is None else \
            CustodyHead(self.head_seq, self.head)

    @property
    def ok(self) -> bool:
        """True when nothing was altered, missing, inserted or reordered."""
        return not self.problems

    def __bool__(self) -> bool:
        return self.ok

    def kinds(self) -> Counter[str]:
        """How many problems of each kind."""
        return Counter(p.kind for p in self.problems)

    def to_frame(self) -> Any:
        """Problems as a DataFrame with columns kind, what, where, detail."""
        import pandas as pd

        return pd.DataFrame(
            [(p.kind, p.what, p.where, p.detail) for p in self.problems],
            columns=["kind", "what", "where", "detail"],
        )

    def raise_for_problems(self) -> None:
        """Raise :class:`IntegrityError` listing the problems, if there are any."""
        if self.problems:
            listing = "; ".join(f"{p.kind} {p.where}: {p.detail}" for p in self.problems[:20])
            raise IntegrityError(
                f"case integrity check failed with {len(self.problems)} problem(s): {listing}. "
                "Compare with an earlier export of the case to see what changed."
            )

    def summary(self) -> str:
        """One line for humans."""
        state = "OK" if self.ok else f"{len(self.problems)} PROBLEM(S)"
        return (
            f"{state}: {self.entries_checked} custody entries, {self.files_checked} evidence "
            f"files, {self.records_checked} records checked"
        )

    def __repr__(self) -> str:
        lines = [f"<VerifyReport {self.summary()}>"]
        lines += [f"  {p.kind:9} {p.what:8} {p.where}: {p.detail}" for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"  ... {len(self.problems) - 20} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = "#2e7d32" if self.ok else "#c62828"
        html = [f"<div><b style='color:{colour}'>{esc(self.summary())}</b>"]
        head = self.custody_head
        html.append(kv_table([("custody head", str(head) if head else (self.head or "(none)"))]))
        if self.problems:
            html.append(df_table(self.to_frame()))
        for warning in self.warnings:
            html.append(f"<p>note: {esc(warning)}</p>")
        html.append("</div>")
        return "".join(html)


def parse_entry(text: str | bytes) -> dict[str, Any] | None:
    """Parse an entry's JSON (strict UTF-8); None when it is not a JSON object.

    Through the kit's bounded JSON loader: an entry nested thousands deep (a forged log in
    an exchange zip) is "not valid" here, never a RecursionError."""
    try:
        value = load_json(text, CaseError, what="custody entry", max_bytes=1 << 30)
    except CaseError:
        return None
    return value if isinstance(value, dict) else None


def check_chain(
    rows: Sequence[tuple[int, str | bytes, str]],
    head: tuple[int, str] | None,
    expected_head: CustodyHead | str | None = None,
) -> tuple[list[Problem], list[dict[str, Any]]]:
    """Walk the log rows (row seq, entry text or its raw bytes, stored hash) in stored order.

    Returns the problems and the entries that are intact (content matches its hash), in order.
    """
    problems: list[Problem] = []
    intact: list[dict[str, Any]] = []
    parsed: list[tuple[int, dict[str, Any] | None, str, bool]] = []
    for row_seq, text, stored in rows:
        entry = parse_entry(text)
        actual = entry_hash(text)
        good = entry is not None and actual == stored and isinstance(entry.get("seq"), int)
        if entry is None:
            problems.append(Problem("altered", "custody", f"custody entry #{row_seq}",
                                    "entry is not valid UTF-8 JSON any more"))
        elif actual != stored:
            problems.append(Problem(
                "altered", "custody", f"custody entry #{row_seq}",
                f"its content no longer matches its recorded hash {stored[:12]}… "
                f"(now {actual[:12]}…)"))
        parsed.append((row_seq, entry, actual, good))
        if good and entry is not None:
            intact.append(entry)

    seqs = [e["seq"] for _r, e, _h, good in parsed if good and e is not None]
    top = max([*seqs, head[0] if head else 0], default=0)
    for missing in sorted(set(range(1, top + 1)) - set(seqs)):
        known_bad = any(
            e is not None and not good and e.get("seq") == missing for _r, e, _h, good in parsed
        )
        if not known_bad:
            problems.append(Problem("missing", "custody", f"custody entry #{missing}",
                                    "this entry was deleted from the log"))
    # Reordering: stored order must follow the entries' own sequence numbers.
    for (r1, e1, _h1, g1), (r2, e2, _h2, g2) in itertools.pairwise(parsed):
        if g1 and g2 and e1 is not None and e2 is not None and e1["seq"] > e2["seq"]:
            problems.append(Problem(
                "reordered", "custody", f"rows {r1}-{r2}",
                f"entry #{e1['seq']} is stored before entry #{e2['seq']}"))

    by_seq: dict[int, list[tuple[dict[str, Any], str]]] = {}
    seen: set[str] = set()
    for row_seq, e, h, good in parsed:
        if not good or e is None:
            continue
        if h in seen:
            problems.append(Problem(
                "inserted", "custody", f"custody entry #{e['seq']} (row {row_seq})",
                "an exact copy of an earlier entry was inserted"))
            continue
        seen.add(h)
        by_seq.setdefault(e["seq"], []).append((e, h))
    all_hashes = {h for _r, _e, h, _g in parsed}
    for seq, items in sorted(by_seq.items()):
        successors = by_seq.get(seq + 1, [])
        for entry, h in items:
            prev = entry.get("prev")
            if seq == 1:
                link_ok = prev == GENESIS
            else:
                link_ok = any(prev == ph for _pe, ph in by_seq.get(seq - 1, []))
                if not by_seq.get(seq - 1):
                    link_ok = True  # the predecessor is already reported missing or altered
            followed = any(se.get("prev") == h for se, _sh in successors)
            if not successors and head is not None and head[0] == seq:
                followed = h == head[1]  # the last entry: the head record says which
            if len(items) > 1 and not followed:
                problems.append(Problem(
                    "inserted", "custody", f"custody entry #{seq} ({h[:12]}…)",
                    "a second entry claims this number and the chain does not continue "
                    "from it: it was inserted"))
            elif not link_ok:
                detail = ("it does not point back to the entry before it"
                          + ("" if prev in all_hashes else
                             " (nor to any entry in the log)")
                          + ": inserted or forged")
                problems.append(Problem("inserted", "custody", f"custody entry #{seq}", detail))

    last = parsed[-1] if parsed else None
    if head is None:
        if parsed:
            problems.append(Problem("missing", "head", "custody head",
                                    "the head record (last seq and hash) is gone"))
    elif last is None:
        problems.append(Problem("missing", "custody", "all entries",
                                f"the head names entry #{head[0]} but the log is empty"))
    else:
        _r, last_entry, last_hash, _good = last
        last_seq = last_entry.get("seq") if last_entry else None
        if isinstance(last_seq, int) and last_seq > head[0]:
            problems.append(Problem(
                "inserted", "custody", f"custody entries #{head[0] + 1}-#{last_seq}",
                "entries were appended after the recorded head"))
        elif last_hash != head[1] and last_seq == head[0]:
            problems.append(Problem("altered", "head", f"custody entry #{head[0]}",
                                    "the last entry does not match the recorded head hash"))
    if expected_head is not None:
        problems += _check_expected(parsed, CustodyHead.parse(expected_head))
    return problems, intact


def _check_expected(
    parsed: Sequence[tuple[int, dict[str, Any] | None, str, bool]], noted: CustodyHead | str
) -> list[Problem]:
    """The head noted earlier must still be in the log, at its own sequence number."""
    if isinstance(noted, str):  # a bare hash (no sequence number): anywhere in the log
        if noted in {h for _r, _e, h, _g in parsed}:
            return []
        return [Problem("altered", "custody", "history",
                        f"the head you recorded earlier ({noted[:12]}…) is not in the log: "
                        "the log was rewritten or shortened")]
    at = [(e, h) for _r, e, h, good in parsed
          if good and e is not None and e.get("seq") == noted.seq]
    if any(h == noted.hash for _e, h in at):
        return []
    seqs = [e["seq"] for _r, e, _h, good in parsed if good and e is not None]
    last = max(seqs, default=0)
    if not at and noted.seq > last:
        return [Problem(
            "missing", "custody", f"custody entries #{last + 1}-#{noted.seq}",
            f"the log ends at entry #{last}, but the head you noted is entry #{noted.seq} "
            f"({noted.hash[:12]}…): the log was shortened")]
    return [Problem(
        "altered", "custody", "history",
        f"entry #{noted.seq} is not the one you noted ({noted.hash[:12]}…): the log up to "
        "there was rewritten")]


def check_evidence(
    entries: Iterable[Mapping[str, Any]], items: Iterable[Mapping[str, Any]]
) -> list[Problem]:
    """Each evidence record against the entry that took it in, and no later entry may change
    a field fixed at intake (:data:`~osint_kit.case.schema.EVIDENCE_IMMUTABLE`).

    A swapped file with a new hash in its record and a well-formed ``edit`` entry for it
    passes the chain and record checks; it does not pass this one, because the intake entry
    (earlier in the chain) still names the original hash, size and names.
    """
    first: dict[str, tuple[int, dict[str, Any]]] = {}
    problems: list[Problem] = []
    for entry in entries:
        if entry.get("table") != "evidence" or entry.get("record_id") is None:
            continue
        rid = str(entry["record_id"])
        details = _mapping(entry.get("details"))
        if rid not in first:
            first[rid] = (int(entry["seq"]), details)
            continue
        changed = _mapping(details.get("changed"))
        fixed = sorted(set(changed) & EVIDENCE_IMMUTABLE)
        if fixed or entry.get("action") == "delete":
            problems.append(Problem(
                "altered", "custody", f"custody entry #{entry['seq']}",
                f"it changes evidence {rid}'s {', '.join(fixed) or 'existence'}, fixed at "
                "intake: evidence is never edited or deleted (add a working copy instead)"))
    for item in items:
        rid = str(item["id"])
        if rid not in first:
            continue  # check_records reports a record that was never logged
        seq, details = first[rid]
        pinned = _mapping(details.get("fixed")) or {
            k: details[k] for k in ("sha256", "size") if k in details}  # older intakes
        differ = [name for name, value in sorted(pinned.items())
                  if name in EVIDENCE_IMMUTABLE and item.get(name) != value]
        if differ:
            name = "sha256" if "sha256" in differ else differ[0]
            problems.append(Problem(
                "altered", "evidence", f"evidence {rid} ({item.get('original_name')})",
                f"{', '.join(differ)} differ from its intake entry #{seq} ({name} is now "
                f"{_short(item.get(name))}, intake recorded {_short(pinned[name])}): "
                "changed after intake (a swapped file?)"))
    return problems


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:28] + "…"


def check_records(
    entries: Iterable[Mapping[str, Any]],
    records: Mapping[tuple[str, str], str],
) -> list[Problem]:
    """Compare current records (table, id) -> record hash with the last state the log pins."""
    state: dict[tuple[str, str], str | None] = {}
    for entry in entries:
        table, rid = entry.get("table"), entry.get("record_id")
        if not table or rid is None:
            continue
        key = (str(table), str(rid))
        state[key] = None if entry.get("action") == "delete" else entry.get("record_sha256")
    problems = []
    for key, digest in sorted(records.items()):
        where = f"{key[0]}/{key[1]}"
        if key not in state:
            problems.append(Problem("inserted", "record", where,
                                    "this record was never logged: added behind the case's back"))
        elif state[key] is None:
            problems.append(Problem("inserted", "record", where,
                                    "the log says this record was deleted, yet it is present"))
        elif state[key] != digest:
            problems.append(Problem("altered", "record", where,
                                    "the record differs from its last logged state"))
    for key, logged in sorted(state.items()):
        if logged is not None and key not in records:
            problems.append(Problem("missing", "record", f"{key[0]}/{key[1]}",
                                    "the log records this record but it is gone"))
    return problems
