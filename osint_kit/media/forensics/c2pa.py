"""Content Credentials (C2PA): find an embedded manifest store and read its claims offline.

C2PA manifests travel in JUMBF boxes: in JPEG inside APP11 segments, in PNG in a ``caBX``
chunk, in HEIF/AVIF/MP4 inside a ``uuid`` box, in WebP in a ``C2PA`` chunk. Detection here
is a small byte-level parser (no dependency). Reading and validating the manifest uses the
optional ``c2pa-python`` package, with remote manifest fetching and OCSP turned OFF: nothing
leaves the machine.

What a manifest does and does not prove: it records who signed which claims (the tool that
made or edited the file, the actions, the ingredients). A valid signature proves the claims
were not changed since signing by the holder of that certificate; it does not prove the
claims are true, and a missing manifest proves nothing (most software strips it).
"""

from __future__ import annotations

import io
import json
import logging
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osint_kit._html import kv_table
from osint_kit.media.read._jpeg import iter_segments
from osint_kit.runner import isolated

log = logging.getLogger(__name__)

#: UUID of the C2PA box in ISO BMFF files (C2PA spec, "Embedding manifests into BMFF").
C2PA_BMFF_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
#: Maximum bytes scanned for boxes (manifests sit near the start of files).
MAX_SCAN_BYTES = 64 << 20

#: c2pa-python settings: never fetch remote manifests or OCSP responses.
OFFLINE_SETTINGS: Mapping[str, Any] = {
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
}


@dataclass(frozen=True)
class C2paDetection:
    """Where a C2PA/JUMBF manifest store was found in the bytes (if anywhere)."""

    found: bool
    container: str | None = None  # "jpeg-app11", "png-caBX", "bmff-uuid", "webp-C2PA", "scan"
    offset: int | None = None
    length: int | None = None
    labels: tuple[str, ...] = ()
    manifest: Mapping[str, Any] | None = field(default=None, compare=False)
    read_error: str | None = None

    def __repr__(self) -> str:
        if not self.found:
            return "C2paDetection(not found)"
        return f"C2paDetection({self.container} at {self.offset}, {self.length} bytes)"

    def _repr_html_(self) -> str:
        rows: list[tuple[str, Any]] = [
            ("found", self.found),
            ("container", self.container),
            ("offset", self.offset),
            ("length", self.length),
            ("JUMBF labels", ", ".join(self.labels)),
            ("read error", self.read_error),
        ]
        for k, v in (self.manifest or {}).items():
            rows.append((k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)))
        return kv_table(rows, title="Content Credentials (C2PA)")


def _jumbf_labels(data: bytes, limit: int = 16) -> tuple[str, ...]:
    """Labels of JUMBF description boxes ('jumd') found in ``data`` (bounded scan)."""
    labels: list[str] = []
    pos = 0
    while len(labels) < limit:
        i = data.find(b"jumd", pos)
        if i < 0:
            break
        # jumd: 16-byte type UUID, 1 toggle byte, then a NUL-terminated label when toggled
        start = i + 4 + 16 + 1
        end = data.find(b"\x00", start, start + 256)
        if end > start:
            labels.append(data[start:end].decode("utf-8", "replace"))
        pos = i + 4
    return tuple(labels)


def _jpeg(data: bytes) -> C2paDetection | None:
    found: list[tuple[int, int]] = []
    payload = b""
    for marker, pos, end in iter_segments(data):
        # APP11 JPEG-XT: "JP" common identifier, box instance, sequence number, then box
        body = data[pos + 4 : end]
        if marker == 0xEB and body[:2] == b"JP" and (b"jumb" in body[:32] or found):
            found.append((pos, end - pos))
            payload += body[8:] if len(found) == 1 else body[16:]
    if not found:
        return None
    total = sum(n for _, n in found)
    labels = _jumbf_labels(payload)
    if not any("c2pa" in lab for lab in labels) and b"c2pa" not in payload:
        return None
    return C2paDetection(True, "jpeg-app11", found[0][0], total, labels)


def _png(data: bytes) -> C2paDetection | None:
    pos = 8
    while pos + 8 <= len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        ctype = data[pos + 4 : pos + 8]
        if ctype == b"caBX":
            body = data[pos + 8 : pos + 8 + length]
            return C2paDetection(True, "png-caBX", pos, length + 12, _jumbf_labels(body))
        if ctype == b"IEND" or length > len(data):
            break
        pos += 12 + length
    return None


def _bmff(data: bytes) -> C2paDetection | None:
    pos = 0
    while pos + 8 <= len(data):
        size, btype = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1 and pos + 16 <= len(data):
            size, header = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], 16
        elif size == 0:
            size = len(data) - pos
        if size < header:
            break
        if btype == b"uuid" and data[pos + header : pos + header + 16] == C2PA_BMFF_UUID:
            body = data[pos + header + 16 : pos + size]
            return C2paDetection(True, "bmff-uuid", pos, size, _jumbf_labels(body))
        pos += size
    return None


def _webp(data: bytes) -> C2paDetection | None:
    pos = 12
    while pos + 8 <= len(data):
        ctype = data[pos : pos + 4]
        length = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        if ctype == b"C2PA":
            body = data[pos + 8 : pos + 8 + length]
            return C2paDetection(True, "webp-C2PA", pos, length + 8, _jumbf_labels(body))
        pos += 8 + length + (length & 1)
    return None


def detect_c2pa(data: bytes) -> C2paDetection:
    """Find a C2PA manifest store in a file's bytes by its container's rules (no decoding)."""
    data = data[:MAX_SCAN_BYTES]
    try:
        hit: C2paDetection | None = None
        if data[:2] == b"\xff\xd8":
            hit = _jpeg(data)
        elif data[:8] == b"\x89PNG\r\n\x1a\n":
            hit = _png(data)
        elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            hit = _webp(data)
        elif data[4:8] == b"ftyp":
            hit = _bmff(data)
    except struct.error as err:  # truncated structure: fall back to the byte scan
        log.debug("container walk failed: %s", err)
        hit = None
    if hit is not None:
        return hit
    # last resort: a JUMBF superbox with a c2pa label anywhere (other containers, damage)
    i = data.find(b"jumb")
    if i >= 0 and b"c2pa" in data[i : i + 256]:
        return C2paDetection(True, "scan", max(0, i - 4), None, _jumbf_labels(data[i : i + 4096]))
    return C2paDetection(False)


def read_manifest(path: str | Path, data: bytes | None = None) -> tuple[dict[str, Any] | None, str | None]:
    """Summarise the active manifest through c2pa-python, offline; (summary, error).

    Returns (None, reason) when c2pa-python is not installed or cannot read the store.
    The summary keeps what a researcher needs: claim generator, title, signer, signing
    time, actions, ingredient titles and the validation state. Without ``data`` the file
    is streamed from disk through a read-only handle (never loaded whole): the validation
    hashes the whole asset, so ``data`` must be the whole file when given.
    """
    try:
        import c2pa
    except ImportError:
        return None, "c2pa-python is not installed (pip install 'osint-kit[c2pa]')"
    from osint_kit._io import open_readonly

    with io.BytesIO(data) if data is not None else open_readonly(path) as stream:
        try:
            settings = c2pa.Settings.from_dict(dict(OFFLINE_SETTINGS))
            context = c2pa.Context(settings)
            reader = c2pa.Reader(None, stream, context=context)
            report = json.loads(reader.json())
        except c2pa.C2paError as err:
            return None, f"c2pa could not read the manifest store: {err}"
        except (ValueError, TypeError, OSError) as err:
            return None, f"c2pa reader failed: {err}"
    return summarise_report(report), None


def summarise_report(report: Mapping[str, Any]) -> dict[str, Any]:
    """Pick the active manifest's key claims from a c2pa Reader JSON report."""
    manifests = report.get("manifests") or {}
    active = manifests.get(report.get("active_manifest") or "", {}) if isinstance(manifests, dict) else {}
    actions: list[str] = []
    for assertion in active.get("assertions") or []:
        label = str(assertion.get("label", ""))
        if label.startswith("c2pa.actions"):
            for act in (assertion.get("data") or {}).get("actions") or []:
                agent = act.get("softwareAgent")
                if isinstance(agent, dict):
                    agent = agent.get("name")
                actions.append(" ".join(str(x) for x in (act.get("action"), agent) if x))
    sig = active.get("signature_info") or {}
    gen_info = active.get("claim_generator_info") or []
    generator = active.get("claim_generator") or ", ".join(
        str(g.get("name", "")) for g in gen_info if isinstance(g, dict)
    )
    return {
        "active_manifest": report.get("active_manifest"),
        "manifests": len(manifests) if isinstance(manifests, dict) else 0,
        "claim_generator": generator or None,
        "title": active.get("title"),
        "signer": sig.get("issuer") or sig.get("common_name"),
        "signed_at": sig.get("time"),
        "actions": actions,
        "ingredients": [str(i.get("title")) for i in active.get("ingredients") or []],
        "validation_state": report.get("validation_state"),
        "validation_problems": [
            str(s.get("code")) for s in report.get("validation_status") or [] if isinstance(s, dict)
        ],
    }


@isolated
def c2pa_info(path: str | Path, read: bool = True) -> C2paDetection:
    """Detect a C2PA manifest store in a file and, when found, summarise it (offline).

    Isolated (:func:`osint_kit.runner.isolated`): the manifest store is parsed by
    c2pa-python's native (Rust) reader, so the call runs in the warm worker; a crash or a
    hang on a crafted store costs WorkerCrashedError or ProcessingTimeoutError.
    """
    from osint_kit._io import read_evidence_head

    det = detect_c2pa(read_evidence_head(path, MAX_SCAN_BYTES))
    if not det.found or not read:
        return det
    manifest, error = read_manifest(path)
    return C2paDetection(det.found, det.container, det.offset, det.length, det.labels, manifest, error)
