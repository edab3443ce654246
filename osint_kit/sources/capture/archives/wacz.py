"""WACZ (Web Archive Collection Zipped): checked offline, then read like its WARCs.

A WACZ is a zip holding ``archive/*.warc[.gz]``, ``pages/pages.jsonl`` (the page list),
``datapackage.json`` (a Frictionless Data Package whose ``resources`` give each file's
``path``, ``hash`` such as ``"sha256:<hex>"`` and ``bytes``) and, when signed,
``datapackage-digest.json`` (``{"path": "datapackage.json", "hash": ..., "signedData":
{...}}``, WACZ Signing and Verification 0.1.0).

:func:`check_wacz` never extracts anything to disk and never fetches anything. It refuses
member names that would escape a folder (``..``, absolute, drive letters, backslashes, links,
duplicates) with ArchivePathError and zip bombs with ArchiveLimitError, re-hashes every
resource against ``datapackage.json``, checks the digest file's hash of ``datapackage.json``
and reports the signature block. An *anonymous* signature (``publicKey``) is verified offline
when the ``cryptography`` package is installed (ECDSA over the ``hash`` text, SHA-256); a
*domain* signature is checked against the public key of the first certificate in
``domainCert``, but the certificate chain and the RFC 3161 timestamp need trusted roots and
are reported as not checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import pandas as pd

from osint_kit._html import df_table, kv_table
from osint_kit._io import open_readonly, stat_evidence
from osint_kit.errors import (
    ArchiveError,
    ArchiveIntegrityError,
    ArchiveLimitError,
    ArchivePathError,
)
from osint_kit.sources.capture.archives.limits import DEFAULT_LIMITS, ArchiveLimits

RESOURCE_COLUMNS: tuple[str, ...] = ("path", "declared_hash", "sha256", "declared_bytes",
                                     "bytes", "status")
_JSON_MAX = 64 << 20
_MAX_PAGES = 200_000
_BOMB_FLOOR = 16 << 20


@dataclass(frozen=True)
class WaczSignature:
    """The signature block of ``datapackage-digest.json`` as found and as checked offline."""

    present: bool
    kind: str = "none"
    hash_matches: bool | None = None
    verified: bool | None = None
    created: str | None = None
    software: str | None = None
    domain: str | None = None
    detail: str = ""

    def __repr__(self) -> str:
        return f"WaczSignature({self.kind}, verified={self.verified}, {self.detail[:60]!r})"


@dataclass(frozen=True)
class WaczCheck:
    """Resources re-hashed against ``datapackage.json``, the digest file and the signature."""

    resources: tuple[dict[str, Any], ...]
    signature: WaczSignature
    pages: tuple[dict[str, Any], ...]
    problems: tuple[str, ...]
    datapackage_sha256: str

    @property
    def ok(self) -> bool:
        return not self.problems

    def resources_frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.resources), columns=list(RESOURCE_COLUMNS))

    def __repr__(self) -> str:
        bad = len(self.problems)
        return (f"WaczCheck({len(self.resources)} resources, {bad} problems, "
                f"signature {self.signature.kind})")

    def _repr_html_(self) -> str:
        s = self.signature
        head = kv_table([("problems", "; ".join(self.problems) or "none"),
                         ("datapackage.json SHA-256", self.datapackage_sha256),
                         ("signature", s.kind), ("signature verified", s.verified),
                         ("signed hash matches", s.hash_matches), ("created", s.created),
                         ("software", s.software), ("domain", s.domain),
                         ("detail", s.detail)], title="WACZ check")
        return head + df_table(self.resources_frame())


def _safe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return False
    if len(name) > 1 and name[1] == ":":
        return False
    return ".." not in PurePosixPath(name).parts


def _open_zip(path: Path, limits: ArchiveLimits) -> tuple[zipfile.ZipFile, BinaryIO]:
    fh = open_readonly(path)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            OverflowError, KeyError, IndexError) as err:
        fh.close()
        raise ArchiveError(f"{path.name}: not a readable zip/WACZ "
                           f"({type(err).__name__}: {err})") from err
    infos = zf.infolist()
    problem: ArchiveError | None = None
    if len(infos) > limits.max_members:
        problem = ArchiveLimitError(f"{path.name}: {len(infos)} members, above "
                                    f"ArchiveLimits.max_members ({limits.max_members})")
    seen: set[str] = set()
    for info in infos:
        if problem:
            break
        mode = info.external_attr >> 16
        if not _safe_name(info.filename):
            problem = ArchivePathError(
                f"{path.name}: member name {info.filename[:200]!r} points outside the archive "
                "(absolute, '..', drive or backslash): refused, nothing was read")
        elif stat.S_ISLNK(mode):
            problem = ArchivePathError(f"{path.name}: member {info.filename[:200]!r} is a "
                                       "symbolic link: refused")
        elif info.filename in seen:
            problem = ArchivePathError(f"{path.name}: member {info.filename[:200]!r} appears "
                                       "twice (which one is meant?): refused")
        elif info.flag_bits & 0x1:
            problem = ArchiveError(f"{path.name}: member {info.filename[:200]!r} is encrypted")
        elif info.file_size > limits.max_member_bytes or (
                info.file_size > _BOMB_FLOOR and
                info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            problem = ArchiveLimitError(
                f"{path.name}: member {info.filename[:200]!r} declares {info.file_size} bytes "
                f"from {info.compress_size} compressed: a zip bomb, or raise ArchiveLimits")
        seen.add(info.filename)
    if problem is not None:
        zf.close()
        fh.close()
        raise problem
    return zf, fh


def _read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with zf.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise ArchiveLimitError(f"member {name!r} is larger than {limit} bytes")
    return data


def _hash_member(zf: zipfile.ZipFile, name: str, algo: str) -> tuple[str, str, int]:
    sha, other, size = hashlib.sha256(), hashlib.new(algo), 0
    with zf.open(name) as member:
        while block := member.read(1 << 20):
            sha.update(block)
            other.update(block)
            size += len(block)
    return sha.hexdigest(), other.hexdigest(), size


def _json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except RecursionError as err:
        raise ArchiveLimitError(f"{what}: nested too deeply") from err
    except (UnicodeDecodeError, ValueError) as err:
        raise ArchiveError(f"{what} is not valid JSON ({err})") from err


def check_wacz(path: str | Path, *, limits: ArchiveLimits | None = None) -> WaczCheck:
    """Check a WACZ offline: safe names, resource hashes, the digest file, the signature."""
    lim = limits or DEFAULT_LIMITS
    p = Path(path)
    stat_evidence(p)
    zf, fh = _open_zip(p, lim)
    try:
        return _check(zf, p.name, lim)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError) as err:
        raise ArchiveIntegrityError(f"{p.name}: a member could not be read ({err})") from err
    finally:
        zf.close()
        fh.close()


def _check(zf: zipfile.ZipFile, name: str, lim: ArchiveLimits) -> WaczCheck:
    names = set(zf.namelist())
    problems: list[str] = []
    if "datapackage.json" not in names:
        raise ArchiveError(f"{name}: no datapackage.json; not a WACZ (a plain zip?)")
    dp_bytes = _read_member(zf, "datapackage.json", _JSON_MAX)
    dp_sha = hashlib.sha256(dp_bytes).hexdigest()
    package = _json(dp_bytes, f"{name}: datapackage.json")
    resources_in = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources_in, list):
        raise ArchiveError(f"{name}: datapackage.json has no 'resources' list")
    rows: list[dict[str, Any]] = []
    listed: set[str] = set()
    for res in resources_in[: lim.max_members]:
        if not isinstance(res, dict):
            problems.append("a datapackage resource is not an object")
            continue
        rpath = str(res.get("path") or "")
        declared = str(res.get("hash") or "")
        declared_bytes = res.get("bytes")
        if not _safe_name(rpath):
            raise ArchivePathError(f"{name}: datapackage.json names {rpath[:200]!r}, a path "
                                   "outside the archive: refused")
        listed.add(rpath)
        algo, _, want = declared.partition(":")
        algo = algo.lower().replace("-", "") or "sha256"
        if algo not in ("sha256", "sha1", "md5", "sha512"):
            problems.append(f"{rpath}: unknown hash algorithm {algo!r}")
            algo = "sha256"
        if rpath not in names:
            problems.append(f"{rpath}: listed in datapackage.json but not in the zip")
            rows.append({"path": rpath, "declared_hash": declared, "sha256": None,
                         "declared_bytes": declared_bytes, "bytes": None, "status": "missing"})
            continue
        sha, other, size = _hash_member(zf, rpath, algo)
        status = "ok"
        if want.strip().lower() != other:
            status = "HASH MISMATCH"
            problems.append(f"{rpath}: hash {other[:16]}… does not match datapackage.json "
                            f"({want[:16]}…)")
        if isinstance(declared_bytes, int) and declared_bytes != size:
            status = "SIZE MISMATCH" if status == "ok" else status
            problems.append(f"{rpath}: {size} bytes, datapackage.json says {declared_bytes}")
        rows.append({"path": rpath, "declared_hash": declared, "sha256": sha,
                     "declared_bytes": declared_bytes, "bytes": size, "status": status})
    for extra in sorted(names - listed - {"datapackage.json", "datapackage-digest.json"}):
        if not extra.endswith("/"):
            problems.append(f"{extra}: in the zip but not listed in datapackage.json "
                            "(not covered by any hash)")
    signature = _signature(zf, names, dp_sha, name)
    if signature.hash_matches is False:
        problems.append("datapackage-digest.json: its hash does not match datapackage.json")
    if signature.verified is False:
        problems.append(f"signature does not verify: {signature.detail}")
    pages = _pages(zf, names, name, problems)
    return WaczCheck(resources=tuple(rows), signature=signature, pages=pages,
                     problems=tuple(problems), datapackage_sha256=dp_sha)


def _pages(zf: zipfile.ZipFile, names: set[str], name: str,
           problems: list[str]) -> tuple[dict[str, Any], ...]:
    member = "pages/pages.jsonl"
    if member not in names:
        return ()
    out: list[dict[str, Any]] = []
    with zf.open(member) as fh:
        for number, line in enumerate(fh, start=1):
            if len(out) >= _MAX_PAGES:
                problems.append(f"{member}: only the first {_MAX_PAGES} pages were read")
                break
            if len(line) > 1 << 20:
                problems.append(f"{member}: line {number} longer than 1 MiB skipped")
                continue
            try:
                item = json.loads(line)
            except (ValueError, RecursionError):
                problems.append(f"{member}: line {number} is not JSON")
                continue
            if isinstance(item, dict) and "url" in item:
                out.append({"url": str(item.get("url"))[:4000],
                            "ts": str(item.get("ts") or "")[:40] or None,
                            "title": str(item.get("title") or "")[:500] or None})
    return tuple(out)


def _signature(zf: zipfile.ZipFile, names: set[str], dp_sha: str, name: str) -> WaczSignature:
    member = "datapackage-digest.json"
    if member not in names:
        return WaczSignature(present=False, detail="no datapackage-digest.json: unsigned")
    digest = _json(_read_member(zf, member, _JSON_MAX), f"{name}: {member}")
    if not isinstance(digest, dict):
        return WaczSignature(present=False, detail=f"{member} is not an object")
    declared = str(digest.get("hash") or "").split(":")[-1].lower()
    matches = declared == dp_sha
    signed = digest.get("signedData")
    if not isinstance(signed, dict):
        return WaczSignature(present=False, hash_matches=matches,
                             detail="digest file without signedData: hash only, unsigned")
    text = {k: str(signed.get(k))[:200] if signed.get(k) is not None else None
            for k in ("created", "software", "domain")}
    signed_hash = str(signed.get("hash") or "")
    if signed_hash.split(":")[-1].lower() != dp_sha:
        matches = False
    if "publicKey" in signed:
        verified, detail = _verify_anonymous(signed)
        kind = "anonymous"
    elif "domainCert" in signed:
        verified, detail = _verify_domain(signed)
        kind = "domain"
    else:
        verified, detail, kind = None, "signedData has neither publicKey nor domainCert", "unknown"
    return WaczSignature(present=True, kind=kind, hash_matches=matches, verified=verified,
                         created=text["created"], software=text["software"],
                         domain=text["domain"], detail=detail)


def _ecdsa_check(public_key: Any, signed: dict[str, Any]) -> tuple[bool, str]:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        return False, "the key is not an ECDSA key"
    try:
        sig = base64.b64decode(str(signed.get("signature") or ""), validate=True)
    except (ValueError, binascii.Error):
        return False, "the signature is not base64"
    message = str(signed.get("hash") or "").encode("utf-8")
    half = (public_key.curve.key_size + 7) // 8
    candidates = [sig]
    if len(sig) == 2 * half:  # WebCrypto's raw r||s form
        candidates.append(encode_dss_signature(int.from_bytes(sig[:half], "big"),
                                               int.from_bytes(sig[half:], "big")))
    for candidate in candidates:
        try:
            public_key.verify(candidate, message, ec.ECDSA(hashes.SHA256()))
            return True, "ECDSA signature of the hash verified offline"
        except (InvalidSignature, ValueError):
            continue
    return False, "the ECDSA signature does not match the hash and key"


def _verify_anonymous(signed: dict[str, Any]) -> tuple[bool | None, str]:
    try:
        from cryptography.hazmat.primitives.serialization import load_der_public_key
    except ImportError:
        return None, "install 'cryptography' to verify the signature offline"
    try:
        key = load_der_public_key(base64.b64decode(str(signed.get("publicKey") or "")))
    except (ValueError, binascii.Error, TypeError) as err:
        return False, f"the public key cannot be read ({err})"
    ok, detail = _ecdsa_check(key, signed)
    return ok, detail + ("; the key itself is anonymous: who holds it must be known "
                         "out of band" if ok else "")


def _verify_domain(signed: dict[str, Any]) -> tuple[bool | None, str]:
    try:
        from cryptography import x509
    except ImportError:
        return None, "install 'cryptography' to check the signature offline"
    try:
        certs = x509.load_pem_x509_certificates(str(signed.get("domainCert") or "").encode())
    except ValueError as err:
        return False, f"domainCert cannot be read ({err})"
    ok, detail = _ecdsa_check(certs[0].public_key(), signed)
    return ok, detail + ("; the certificate chain, the domain and the RFC 3161 timestamp "
                         "were NOT checked (they need trusted roots; nothing is fetched)")


def iter_wacz_warcs(path: Path, limits: ArchiveLimits) -> Iterator[tuple[str, BinaryIO]]:
    """``(member name, open stream)`` for each ``archive/*.warc[.gz]`` member, in order."""
    zf, fh = _open_zip(path, limits)
    try:
        for info in zf.infolist():
            n = info.filename
            if n.startswith("archive/") and n.endswith((".warc", ".warc.gz")):
                yield n, zf.open(info)  # type: ignore[misc]
    finally:
        zf.close()
        fh.close()


def ingest_wacz(path: Path, want: Callable[[Any], bool], *, reference: Any, tz: str | None,
                limits: ArchiveLimits, allow_mismatch: bool, assemble: Callable[..., Any]) -> Any:
    """The WACZ branch of :func:`~osint_kit.sources.capture.archives.warc.ingest_warc`."""
    from osint_kit.sources.capture.archives.warc import scan_stream

    check = check_wacz(path, limits=limits)
    warnings = [f"{path.name}: {p}" for p in check.problems]
    if check.problems and not allow_mismatch:
        raise ArchiveIntegrityError(
            f"{path.name}: the WACZ does not match its datapackage.json: "
            + "; ".join(check.problems[:3]) + " (allow_mismatch=True reads it anyway)")
    records: list[Any] = []
    pages: list[Any] = []
    try:
        for member, stream in iter_wacz_warcs(path, limits):
            with stream:
                recs, found = scan_stream(stream, path.name, want, reference, tz, limits,
                                          path.name, member, warnings)
            records += recs
            pages += found
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError) as err:
        raise ArchiveIntegrityError(f"{path.name}: a WARC member could not be read ({err})") \
            from err
    with open_readonly(path) as fh:
        sha = hashlib.sha256()
        while block := fh.read(1 << 20):
            sha.update(block)
    return assemble(str(path), "wacz", path.stat().st_size, sha.hexdigest(), records, pages,
                    warnings, wacz=check, listed=check.pages)
