"""Case benchmark: what intake, logging and verify() cost over doing it by hand.

References, measured in the same run on the same files:
* intake: ``shutil.copyfile`` + SHA-256 + MD5 of the copy (no fsync, no read-back check,
  no transaction, no custody entry);
* a logged record write: one plain SQLite INSERT + COMMIT per row in WAL mode with
  ``synchronous=FULL`` (no hash chain, no record hash);
* verify(): SHA-256 of every evidence file alone (no chain walk, no record check).
Ratios below 1 are the price of durability and the custody log.
Run: ``python benchmarks/bench_case.py [quick|full]``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZES = {"quick": {"files": 60, "bytes": 256 << 10, "notes": 200, "repeat": 3},
         "full": {"files": 300, "bytes": 1 << 20, "notes": 1000, "repeat": 5}}


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(size: str = "quick") -> list[dict[str, Any]]:
    from osint_kit.case import Case

    cfg = SIZES[size]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-case-") as tmp:
        root = Path(tmp)
        src = root / "files"
        src.mkdir()
        files = []
        for i in range(cfg["files"]):
            path = src / f"f{i}.bin"
            path.write_bytes(os.urandom(cfg["bytes"]))
            files.append(path)

        ours, ref = [], []
        for rep in range(cfg["repeat"]):
            case = Case.create(root / f"case{rep}", title="bench")

            def intake(c: Case = case) -> None:
                for f in files:
                    c.add_evidence(f, analyse=False)

            ours.append(_timed(intake))
            out = root / f"plain{rep}"
            out.mkdir()

            def by_hand(out: Path = out) -> None:
                for f in files:
                    target = out / f.name
                    shutil.copyfile(f, target)
                    data = target.read_bytes()
                    hashlib.sha256(data).hexdigest()
                    hashlib.md5(data, usedforsecurity=False).hexdigest()

            ref.append(_timed(by_hand))
            if rep < cfg["repeat"] - 1:
                case.close()
        o, r = statistics.median(ours), statistics.median(ref)
        rows.append({"measure": f"intake {cfg['files']} files x {cfg['bytes'] >> 10} KiB",
                     "osint_kit": round(o, 3), "reference": round(r, 3),
                     "ratio": round(r / o, 3), "unit": "s",
                     "note": "copy+hash by hand; ours adds fsync, read-back check, log"})

        o = statistics.median(_timed(case.verify) for _ in range(cfg["repeat"]))
        stored = [case.evidence_path(i) for i in case.table("evidence")["id"]]
        r = statistics.median(
            _timed(lambda: [hashlib.sha256(p.read_bytes()).hexdigest() for p in stored])
            for _ in range(cfg["repeat"]))
        rows.append({"measure": f"verify {len(stored)} files", "osint_kit": round(o, 3),
                     "reference": round(r, 3), "ratio": round(r / o, 3), "unit": "s",
                     "note": "hashing the files alone; ours also walks chain and records"})

        n = cfg["notes"]
        o = _timed(lambda: [case.add_note(f"note {i}") for i in range(n)])
        conn = sqlite3.connect(root / "plain.sqlite", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, text TEXT)")

        def plain() -> None:
            for i in range(n):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO notes VALUES (?, ?)", (f"N{i}", f"note {i}"))
                conn.execute("COMMIT")

        r = _timed(plain)
        conn.close()
        case.close()
        rows.append({"measure": f"{n} logged record writes", "osint_kit": round(o / n * 1e3, 3),
                     "reference": round(r / n * 1e3, 3), "ratio": round(r / o, 3),
                     "unit": "ms/write", "note": "plain SQLite insert+commit, same durability"})
    return rows


if __name__ == "__main__":
    for row in run(sys.argv[1] if len(sys.argv) > 1 else "quick"):
        print(row)
