"""Generated image sets with known truth for the forensics, hash and duplicate tests.

Used by the tests in ``tests/images`` and by ``benchmarks/bench_phash.py``
(moved here from ``tests/images/forensics_sets.py``).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def structured_image(seed: int, size: tuple[int, int] = (128, 128)) -> Image.Image:
    """A picture with real structure: a smooth noise field plus random shapes and lines."""
    rng = np.random.default_rng(seed)
    w, h = size
    coarse = rng.integers(0, 256, size=(6, 6, 3), dtype=np.uint8)
    base = Image.fromarray(coarse, "RGB").resize((w, h), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(base)
    prng = random.Random(seed)
    for _ in range(prng.randint(6, 12)):
        x0, y0 = prng.randrange(w), prng.randrange(h)
        x1, y1 = x0 + prng.randint(8, w // 2), y0 + prng.randint(8, h // 2)
        colour = (prng.randrange(256), prng.randrange(256), prng.randrange(256))
        kind = prng.choice(("rect", "ellipse", "line"))
        if kind == "rect":
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        elif kind == "ellipse":
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=prng.randint(2, 6))
    noise = rng.normal(0, 6, size=(h, w, 3))
    arr = np.clip(np.asarray(base, dtype=np.float64) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(arr, "RGB")


def jpeg_bytes(im: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def variant(im: Image.Image, kind: str, rng: random.Random) -> tuple[Image.Image, str, int]:
    """A copy as it travels the web: (image, format, jpeg quality)."""
    w, h = im.size
    if kind == "reencode":
        return im, "JPEG", rng.randint(40, 80)
    if kind == "resize":
        s = rng.uniform(0.5, 0.85)
        return im.resize((int(w * s), int(h * s)), Image.Resampling.BILINEAR), "JPEG", 85
    if kind == "crop":
        dx, dy = int(w * rng.uniform(0.01, 0.04)), int(h * rng.uniform(0.01, 0.04))
        return im.crop((dx, dy, w - dx, h - dy)), "JPEG", 88
    if kind == "crop_resize":
        dx = int(w * rng.uniform(0.01, 0.03))
        c = im.crop((dx, dx, w - dx, h - dx))
        return c.resize((int(c.width * 0.7), int(c.height * 0.7))), "JPEG", 70
    if kind == "blur_png":
        return im.filter(ImageFilter.GaussianBlur(0.8)), "PNG", 0
    raise ValueError(kind)


VARIANTS = ("reencode", "resize", "crop", "crop_resize", "blur_png")


@dataclass(frozen=True)
class DuplicateSet:
    paths: list[Path]
    group: list[int]  # -1 for unrelated images

    def true_pairs(self) -> set[tuple[int, int]]:
        by: dict[int, list[int]] = {}
        for i, g in enumerate(self.group):
            if g >= 0:
                by.setdefault(g, []).append(i)
        return {(a, b) for m in by.values() for a in m for b in m if a < b}


def make_duplicate_set(
    folder: Path, n_groups: int = 60, copies: int = 4, n_unrelated: int = 260, seed: int = 7,
    size: tuple[int, int] = (128, 128),
) -> DuplicateSet:
    """``n_groups`` originals with ``copies`` altered copies each, plus unrelated images."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths: list[Path] = []
    group: list[int] = []
    for g in range(n_groups):
        im = structured_image(seed * 100_000 + g, size)
        p = folder / f"g{g:03d}_orig.jpg"
        p.write_bytes(jpeg_bytes(im, 92))
        paths.append(p)
        group.append(g)
        for c, kind in enumerate(rng.sample(VARIANTS, copies)):
            v, fmt, q = variant(im, kind, rng)
            p = folder / f"g{g:03d}_c{c}_{kind}.{'jpg' if fmt == 'JPEG' else 'png'}"
            if fmt == "JPEG":
                p.write_bytes(jpeg_bytes(v, q))
            else:
                v.save(p, "PNG")
            paths.append(p)
            group.append(g)
    for u in range(n_unrelated):
        im = structured_image(seed * 100_000 + 50_000 + u, size)
        p = folder / f"u{u:04d}.jpg"
        p.write_bytes(jpeg_bytes(im, rng.randint(60, 95)))
        paths.append(p)
        group.append(-1)
    return DuplicateSet(paths, group)


def precision_recall(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth) if truth else 1.0
    return precision, recall


def c2pa_signed_jpeg(title: str = "test.jpg") -> bytes:
    """A small JPEG with a real C2PA manifest, signed by a throw-away test CA (needs
    c2pa-python and cryptography; callers skip when they are missing)."""
    import datetime as dt
    import json

    import c2pa
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def make_cert(subject: str, issuer_key, key, issuer_name=None, ca: bool = False):
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "osint_kit test")])
        now = dt.datetime.now(dt.UTC)
        b = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer_name or name)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                            critical=False))
        if ca:
            b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        else:
            b = b.add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        return b.sign(issuer_key, hashes.SHA256()), name

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert, ca_name = make_cert("Test Root CA", ca_key, ca_key, ca=True)
    ee_key = ec.generate_private_key(ec.SECP256R1())
    ee_cert, _ = make_cert("Test Signer", ca_key, ee_key, issuer_name=ca_name)
    chain = ee_cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM)
    pkey = ee_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", chain, pkey, None))
    manifest = {"claim_generator_info": [{"name": "osint_kit test", "version": "0.1"}], "title": title,
                "assertions": [{"label": "c2pa.actions", "data": {"actions": [{"action": "c2pa.created"}]}}]}
    settings = c2pa.Settings.from_dict({"verify": {"verify_after_sign": False, "remote_manifest_fetch": False,
                                                   "ocsp_fetch": False},
                                        "builder": {"thumbnail": {"enabled": False}}})
    builder = c2pa.Builder(json.dumps(manifest), context=c2pa.Context(settings))
    src, dst = io.BytesIO(jpeg_bytes(structured_image(1, (64, 64)), 90)), io.BytesIO()
    builder.sign(signer, "image/jpeg", src, dst)
    return dst.getvalue()
