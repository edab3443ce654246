"""JPEG quantisation tables: estimated quality and the family of software that wrote them.

A JPEG carries the quantisation tables (DQT) of the encoder that produced it. Most software
built on the Independent JPEG Group library (libjpeg, libjpeg-turbo: Pillow, GIMP's default,
ImageMagick, many web platforms) writes the example tables of the JPEG standard (ITU-T T.81
Annex K) scaled by the IJG formula for a quality setting 1..100. Cameras and some editors
(Photoshop among them) use tables of their own. A file whose tables are exactly "IJG at
quality N" was therefore, most likely, last saved by general-purpose software, not straight
out of a camera - a camera-original usually carries non-standard tables.

The table of families is deliberately small: we only name what can be recognised exactly.

* ``ijg-standard``   every table equals the Annex K table scaled by the IJG formula at one
                     quality N ("standard IJG tables at quality N").
* ``ijg-mixed``      each table is an IJG table, but luminance and chrominance use different
                     qualities (e.g. ``cjpeg -quality 90,80``; some platforms do this).
* ``annex-k-scaled`` the Annex K tables multiplied by one factor with a different rounding
                     (close to IJG, not identical; some cameras and encoders).
* ``non-standard``   anything else: camera firmware, Photoshop and other own tables. The
                     quality number is then only the nearest IJG equivalent.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osint_kit._html import esc, kv_table
from osint_kit.errors import CorruptImageError, UnsupportedFormatError
from osint_kit.media.read._jpeg import EOI, FILL, SOS, STANDALONE, iter_segments
from osint_kit.runner import isolated

log = logging.getLogger(__name__)

#: ITU-T T.81 Annex K.1 luminance table, natural (row-major) order.
ANNEX_K_LUMINANCE: tuple[int, ...] = (
    16, 11, 10, 16, 24, 40, 51, 61,
    12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77,
    24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101,
    72, 92, 95, 98, 112, 100, 103, 99,
)  # fmt: skip

#: ITU-T T.81 Annex K.2 chrominance table, natural (row-major) order.
ANNEX_K_CHROMINANCE: tuple[int, ...] = (
    17, 18, 24, 47, 99, 99, 99, 99,
    18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99,
    47, 66, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
)  # fmt: skip

FAMILY_DESCRIPTIONS: Mapping[str, str] = {
    "ijg-standard": "standard IJG tables (libjpeg and software built on it)",
    "ijg-mixed": "standard IJG tables, different quality for luminance and colour",
    "annex-k-scaled": "JPEG-standard tables scaled by a single factor (close to IJG, not identical)",
    "non-standard": "own tables (camera firmware, Photoshop or other software)",
}


def ijg_scale(quality: int) -> int:
    """The IJG percentage scale factor for a quality 1..100 (``jpeg_quality_scaling``)."""
    q = min(100, max(1, int(quality)))
    return 5000 // q if q < 50 else 200 - 2 * q


def ijg_table(base: Sequence[int], quality: int) -> tuple[int, ...]:
    """Scale an Annex K table to ``quality`` exactly as libjpeg does (baseline: max 255)."""
    scale = ijg_scale(quality)
    return tuple(min(255, max(1, (v * scale + 50) // 100)) for v in base)


_BASES = (ANNEX_K_LUMINANCE, ANNEX_K_CHROMINANCE)
_IJG = {q: (ijg_table(ANNEX_K_LUMINANCE, q), ijg_table(ANNEX_K_CHROMINANCE, q)) for q in range(1, 101)}


@dataclass(frozen=True)
class JpegQuality:
    """Quantisation tables of one JPEG and what they say about the encoder."""

    tables: tuple[tuple[int, ...], ...]
    quality: int | None
    family: str
    table_qualities: tuple[int | None, ...] = ()
    exact: bool = False
    method: str = "DQT tables via Pillow Image.quantization; IJG Annex K scaling 1..100"
    notes: tuple[str, ...] = field(default=())

    @property
    def description(self) -> str:
        """One line for people: 'standard IJG tables at quality 75'."""
        if self.family == "ijg-standard":
            return f"standard IJG tables at quality {self.quality}"
        if self.family == "ijg-mixed":
            qs = "/".join(str(q) for q in self.table_qualities)
            return f"standard IJG tables at qualities {qs} (luminance/colour)"
        base = FAMILY_DESCRIPTIONS.get(self.family, self.family)
        return f"{base}; nearest IJG quality about {self.quality}"

    def __repr__(self) -> str:
        return f"JpegQuality({self.description!r}, tables={len(self.tables)})"

    def _repr_html_(self) -> str:
        rows = [
            ("description", self.description),
            ("family", self.family),
            ("estimated quality", self.quality),
            ("per-table IJG quality", ", ".join(str(q) for q in self.table_qualities)),
            ("tables", len(self.tables)),
            ("method", self.method),
        ]
        rows += [("note", n) for n in self.notes]
        return kv_table(rows, title="JPEG quantisation tables") + (
            f"<pre style='font-size:11px'>{esc(_format_table(self.tables[0]))}</pre>"
            if self.tables
            else ""
        )


def _format_table(table: Sequence[int]) -> str:
    return "\n".join(" ".join(f"{v:3d}" for v in table[r * 8 : r * 8 + 8]) for r in range(8))


def _nearest_quality(table: Sequence[int], base_index: int) -> tuple[int, int]:
    """IJG quality whose table is closest (sum of absolute differences) and that distance."""
    best_q, best_err = 50, 1 << 30
    for q in range(1, 101):
        ref = _IJG[q][base_index]
        err = sum(abs(a - b) for a, b in zip(table, ref, strict=True))
        if err < best_err:
            best_q, best_err = q, err
    return best_q, best_err


def _is_scaled_annex_k(table: Sequence[int], base: Sequence[int]) -> bool:
    """True when table == round(base * s) for one factor s, allowing 1 for rounding."""
    # a least-squares estimate of s, then a tolerance of one unit (rounding) per entry
    num = sum(t * b for t, b in zip(table, base, strict=True))
    den = sum(b * b for b in base)
    if den == 0:
        return False
    s = num / den
    return all(abs(t - min(255.0, max(1.0, b * s))) <= 1.0 + 1e-9 for t, b in zip(table, base, strict=True))


def estimate_quality(tables: Mapping[int, Sequence[int]] | Sequence[Sequence[int]]) -> JpegQuality:
    """Estimate IJG quality and classify the table family from quantisation tables.

    ``tables`` maps table id -> 64 values in natural (row-major) order, as Pillow's
    ``Image.quantization`` does; table 0 is luminance, table 1 chrominance.
    """
    if isinstance(tables, Mapping):
        ordered = [tuple(int(v) for v in tables[k]) for k in sorted(tables)]
    else:
        ordered = [tuple(int(v) for v in t) for t in tables]
    ordered = [t for t in ordered if len(t) == 64]
    if not ordered:
        return JpegQuality(tables=(), quality=None, family="non-standard",
                           notes=("no usable 8x8 quantisation table",))
    per_q: list[int] = []
    exact_sets: list[set[int]] = []
    scaled_each: list[bool] = []
    for idx, table in enumerate(ordered[:2]):
        q, _ = _nearest_quality(table, idx)
        per_q.append(q)
        # several qualities can give identical tables (clamping at 1 and 255)
        exact_sets.append({k for k in range(1, 101) if _IJG[k][idx] == table})
        scaled_each.append(_is_scaled_annex_k(table, _BASES[idx]))
    notes: list[str] = []
    if len(ordered) > 2:
        notes.append(f"{len(ordered)} tables; only the first two were compared")
    if len(ordered) == 1:
        notes.append("one table only (greyscale image)")
    common = set.intersection(*exact_sets) if exact_sets else set()
    if common:
        family, exact = "ijg-standard", True
        per_q = [max(common)] * len(per_q)
    elif all(exact_sets):
        family, exact = "ijg-mixed", True
        per_q = [max(s) for s in exact_sets]
    elif all(scaled_each):
        family, exact = "annex-k-scaled", False
    else:
        family, exact = "non-standard", False
    quality = per_q[0]  # luminance drives perceived quality; report it as the estimate
    return JpegQuality(
        tables=tuple(ordered),
        quality=quality,
        family=family,
        table_qualities=tuple(per_q),
        exact=exact,
        notes=tuple(notes),
    )


def quantization_tables(im: Any) -> dict[int, list[int]]:
    """The quantisation tables of an opened Pillow JPEG (empty for other formats)."""
    qt = getattr(im, "quantization", None) or {}
    return {int(k): list(v) for k, v in qt.items()}


@isolated
def jpeg_quality(path: str | Path) -> JpegQuality:
    """Read a JPEG's quantisation tables (headers only, no decoding) and estimate quality.

    Raises UnsupportedFormatError for non-JPEG files and CorruptImageError when the
    headers cannot be parsed. Isolated (:func:`osint_kit.runner.isolated`): the file is
    opened in the warm worker (Pillow may hand a HEIF or WebP file to a C library);
    ``jpeg_quality.here(path)`` opens it here.
    """
    from osint_kit.media.similar.hashes import open_image_safely

    # the guarded opener turns Pillow's refusals (unknown format, bomb, broken header) into
    # osint_kit's typed errors
    with open_image_safely(path) as im:
        if im.format not in ("JPEG", "MPO"):
            raise UnsupportedFormatError(
                path, f"quantisation tables exist only in JPEG files; this is {im.format}"
            )
        tables = quantization_tables(im)
    if not tables:
        raise CorruptImageError(path, "JPEG without quantisation tables (DQT marker missing)")
    return estimate_quality(tables)


def jpeg_segments(data: bytes, limit: int = 512) -> list[tuple[str, int, str]]:
    """Marker segments before the image data: (marker name, offset, identifier) tuples.

    The identifier is the segment's leading text ("JFIF", "Exif", "http://ns.adobe.com/...",
    "ICC_PROFILE", "Photoshop 3.0", "Adobe", "JP" for JUMBF). Stops at start-of-scan, at
    ``limit`` segments or at the first malformed length, so crafted files cannot loop.
    """
    out: list[tuple[str, int, str]] = []
    if data[:2] != b"\xff\xd8":
        return out
    for marker, pos, end in iter_segments(data):
        if len(out) >= limit:
            break
        if marker == FILL or marker in STANDALONE:
            continue
        if marker in (SOS, EOI):
            out.append(("SOS" if marker == SOS else "EOI", pos, ""))
            break
        body = data[pos + 4 : min(end, pos + 44)]
        ident = body.split(b"\x00", 1)[0].decode("latin-1")[:40] if body else ""
        name = f"APP{marker - 0xE0}" if 0xE0 <= marker <= 0xEF else {
            0xDB: "DQT", 0xC4: "DHT", 0xFE: "COM", 0xDD: "DRI",
        }.get(marker, f"SOF{marker - 0xC0}" if 0xC0 <= marker <= 0xCF else f"0x{marker:02X}")
        out.append((name, pos, ident if name.startswith("APP") or name == "COM" else ""))
    return out
