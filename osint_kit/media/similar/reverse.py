"""Reverse image search, assisted by hand: links to the engines and cropped working copies.

The kit never searches by itself. :func:`search_links` builds the addresses of four public
reverse-search engines as plain strings; the researcher decides whether to open them. With
the URL of a picture that is already public, each link asks the engine to fetch that URL;
without one, each link is the engine's upload page and the researcher uploads a working copy
by hand. Nothing here opens a connection, a browser or a file on the web (the tests check
that this module imports no network or browser module).

Searching discloses things to the engine: the picture (or its URL), the time, the
researcher's IP address or account, and possibly that someone is looking into it
(docs/reverse_search.md). :func:`crop` makes a PNG working copy of one region - a sign, a
building, a face-free detail - so the researcher can search a detail rather than the whole
picture, and upload pixels without the original's metadata.

Where the URL forms come from (checked 2026-12-07 against public code, not against an
official specification - none of these engines documents its consumer URLs, and they change
them without notice: if a link stops working, use the upload page):

* Google Lens ``https://lens.google.com/uploadbyurl?url=<url>``: used by several public
  projects after ``google.com/searchbyimage?image_url=`` stopped working (e.g.
  lilmond/Reverse-Image-Search, whose README records that switch, and many gallery apps
  that link "Search with Google Lens"). Upload page ``https://lens.google.com/``.
* Yandex Images ``https://yandex.com/images/search?rpt=imageview&url=<url>``: the same
  parameters appear in the result URLs SerpApi records for Yandex image searches and in
  lilmond/Reverse-Image-Search. Upload page ``https://yandex.com/images/``.
* Bing Visual Search ``https://www.bing.com/images/searchbyimage?cbir=sbi&imgurl=<url>``
  (lilmond/Reverse-Image-Search and other link builders; an older form
  ``images/search?view=detailv2&iss=sbi&q=imgurl:<url>`` is also seen). Upload page
  ``https://www.bing.com/visualsearch``.
* TinEye ``https://tineye.com/search?url=<url>`` (lilmond/Reverse-Image-Search,
  SmartImage's TinEye engine; SearXNG's TinEye engine sends the same ``url`` parameter to
  TinEye's JSON endpoint). Upload page ``https://tineye.com/``.

The image URL is percent-encoded as one query value (:func:`urllib.parse.quote` with no
safe characters, UTF-8), so quotes, spaces, ``&``, ``#`` and non-ASCII text in it can
neither end the parameter nor add others.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

#: Longest image URL accepted (browsers and engines cut or refuse much longer addresses).
MAX_URL_CHARS = 4096
#: Largest crop written (pixels): more than any engine needs to match a detail.
MAX_CROP_PIXELS = 50_000_000

#: What uploading (or sending the URL of) a picture tells the engine, shown above the links.
DISCLOSURE = (
    "Searching sends the picture (or its address) to the engine's company, with the time, "
    "your IP address and any account you are signed in to, and may reveal that someone is "
    "investigating this picture. Search a crop of the detail you need, upload a stripped "
    "working copy (never the evidence file), and do not search pictures whose disclosure "
    "could harm a source."
)

_UPLOAD_INSTRUCTION = ("Open the page and upload a working copy by hand (e.g. a crop made "
                       "with crop()); the kit uploads nothing.")
_URL_INSTRUCTION = ("Opening this link makes the engine fetch the picture from its public "
                    "address; nothing is uploaded from this computer.")


@dataclass(frozen=True)
class SearchLink:
    """One engine's link: its name, the address, what using it discloses, and how to use it.

    ``mode`` is ``"url"`` (the engine fetches a public image URL) or ``"upload"`` (the
    engine's upload page; the researcher uploads by hand).
    """

    engine: str
    url: str
    discloses: str
    instruction: str
    mode: str

    def __repr__(self) -> str:
        return f"SearchLink({self.engine}, {self.mode}: {self.url})"


# (engine, by-URL prefix, upload page, what the company learns beyond the picture itself)
_ENGINES: tuple[tuple[str, str, str, str], ...] = (
    ("Google Lens", "https://lens.google.com/uploadbyurl?url=", "https://lens.google.com/",
     "Google (Alphabet, US): the picture or its URL, time, IP address, and your Google "
     "account when signed in."),
    ("Yandex Images", "https://yandex.com/images/search?rpt=imageview&url=",
     "https://yandex.com/images/",
     "Yandex (Russia-based): the picture or its URL, time, IP address, and your Yandex "
     "account when signed in."),
    ("Bing Visual Search", "https://www.bing.com/images/searchbyimage?cbir=sbi&imgurl=",
     "https://www.bing.com/visualsearch",
     "Microsoft (US): the picture or its URL, time, IP address, and your Microsoft "
     "account when signed in."),
    ("TinEye", "https://tineye.com/search?url=", "https://tineye.com/",
     "TinEye (Idée, Canada): the picture or its URL, time and IP address; uploads are "
     "said not to be kept, which the kit cannot check."),
)


def _check_image_url(image_url: str) -> str:
    """The URL, stripped of surrounding blanks, if a public engine could fetch it."""
    if not isinstance(image_url, str):
        raise TypeError(f"image_url must be a string, got {type(image_url).__name__}")
    url = image_url.strip()
    if not url:
        raise ValueError("image_url is empty: pass None to get the engines' upload pages")
    if len(url) > MAX_URL_CHARS:
        raise ValueError(f"image_url has {len(url):,} characters, above {MAX_URL_CHARS:,}: "
                         "engines refuse addresses this long; upload a working copy instead")
    if any(ord(c) < 0x20 or ord(c) == 0x7F or 0xD800 <= ord(c) <= 0xDFFF for c in url):
        raise ValueError("image_url contains control characters or broken Unicode: copy the "
                         "address again from the browser's address bar")
    try:
        parts = urlsplit(url)
    except ValueError as err:  # e.g. an unbalanced "[" in the host
        raise ValueError(f"image_url is not a valid URL ({err}); upload a working copy "
                         "instead (search_links() with no URL)") from err
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(
            "image_url must be a public http(s) address that the engine can fetch, not "
            f"{url[:80]!r}; for a local file, call search_links() without a URL and upload "
            "a working copy by hand")
    return url


def search_links(image_url: str | None = None) -> list[SearchLink]:
    """Links to Google Lens, Yandex Images, Bing Visual Search and TinEye; nothing is opened.

    With ``image_url`` (a public http(s) address of the picture), each link asks the engine
    to fetch and search that picture; the URL is percent-encoded as one query value.
    Without it, each link is the engine's upload page, with a one-line instruction: the
    researcher uploads a working copy by hand. Raises ValueError for an address an engine
    could not fetch (not http(s), empty, longer than :data:`MAX_URL_CHARS`).
    """
    if image_url is None:
        return [SearchLink(name, upload, discloses, _UPLOAD_INSTRUCTION, "upload")
                for name, _, upload, discloses in _ENGINES]
    encoded = quote(_check_image_url(image_url), safe="", encoding="utf-8", errors="strict")
    return [SearchLink(name, prefix + encoded, discloses, _URL_INSTRUCTION, "url")
            for name, prefix, _, discloses in _ENGINES]


# --- cropped working copies --------------------------------------------------------------------


Box = tuple[int, int, int, int] | tuple[float, float, float, float]


def _check_box(box: object) -> None:
    """Raise ValueError unless ``box`` is four finite numbers (fractions within 0..1)."""
    if not isinstance(box, (tuple, list)) or len(box) != 4:
        raise ValueError(f"box must be (x, y, w, h), got {box!r}")
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in box):
        raise ValueError(f"box values must be numbers, got {box!r}")
    if not all(math.isfinite(v) for v in box):
        raise ValueError(f"box values must be finite, got {box!r}")
    if any(isinstance(v, float) for v in box) and not all(0.0 <= v <= 1.0 for v in box):
        raise ValueError(f"a box with fractions needs values in 0..1, got {box!r} (give "
                         "whole numbers for pixels)")


def _pixel_box(box: Box | list[float], width: int, height: int) -> tuple[int, int, int, int]:
    """``(x, y, w, h)`` in pixels from pixels (all ints) or fractions (any float, 0..1)."""
    _check_box(box)
    if any(isinstance(v, float) for v in box):  # fractions of the picture's width and height
        fx, fy, fw, fh = (float(v) for v in box)
        x, y = round(fx * width), round(fy * height)
        w, h = round((fx + fw) * width) - x, round((fy + fh) * height) - y
    else:
        x, y, w, h = (int(v) for v in box)
    if w <= 0 or h <= 0:
        raise ValueError(f"box {box!r} is empty ({w}x{h} pixels)")
    if x < 0 or y < 0 or x + w > width or y + h > height:
        raise ValueError(f"box {box!r} = pixels x {x}..{x + w}, y {y}..{y + h} lies outside "
                         f"the picture ({width}x{height}, EXIF orientation applied)")
    if w * h > MAX_CROP_PIXELS:
        raise ValueError(f"box {box!r} is {w * h:,} pixels, above {MAX_CROP_PIXELS:,}: crop "
                         "the detail you want to search")
    return x, y, w, h


def _stored_box(orientation: int, box: tuple[int, int, int, int], width: int, height: int
                ) -> tuple[int, int, int, int]:
    """The box ``(left, top, right, bottom)`` of the upright picture in the stored pixels of
    a ``width`` x ``height`` image with this EXIF orientation (edges, not pixel centres)."""
    u0, v0, u1, v1 = box
    corners = {  # upright edge (u, v) -> stored edge (x, y), per orientation
        2: lambda u, v: (width - u, v), 3: lambda u, v: (width - u, height - v),
        4: lambda u, v: (u, height - v), 5: lambda u, v: (v, u),
        6: lambda u, v: (v, height - u), 7: lambda u, v: (width - v, height - u),
        8: lambda u, v: (width - v, u),
    }
    to_stored = corners.get(orientation)
    if to_stored is None:
        return box
    (xa, ya), (xb, yb) = to_stored(u0, v0), to_stored(u1, v1)
    return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


def _out_path(src: Path, folder: Path, x: int, y: int, w: int, h: int) -> Path:
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in src.stem)[:80] or "image"
    return folder / f"{stem}_crop_{x}_{y}_{w}x{h}.png"


def _check_out_dir(path: str, out_dir: str | os.PathLike[str] | None) -> Path:
    """The folder for the working copy: the caller's, or a new temporary one; never the
    evidence's own folder."""
    if out_dir is None:
        return Path(tempfile.mkdtemp(prefix="osint_kit_crop_"))
    folder = Path(out_dir)
    if not folder.is_dir():
        raise NotADirectoryError(f"out_dir {str(folder)!r} is not a folder: create it first")
    if os.path.realpath(folder) == os.path.realpath(os.path.dirname(os.path.abspath(path))):
        raise ValueError(f"out_dir {str(folder)!r} is the evidence's own folder: working "
                         "copies go into a separate working folder, never beside the evidence")
    return folder


def crop(path: str | os.PathLike[str], box: Box, out_dir: str | os.PathLike[str] | None = None,
         *, isolate: bool = True) -> Path:
    """Write a PNG working copy of one region of a picture and return its path.

    ``box`` is ``(x, y, w, h)``: whole numbers are pixels, floats are fractions (0..1) of the
    width and height, in the picture as a viewer shows it (EXIF orientation applied). The
    file goes into ``out_dir`` (which must exist and may not be the evidence's folder) or a
    new temporary folder, under a name that never overwrites anything. The original is only
    read. The copy carries pixels only: no EXIF, XMP, ICC profile or text chunks.

    The picture is decoded through the kit's guarded opener
    (:func:`osint_kit.media.similar.hashes.open_image_safely`: pixel limit, typed errors) in the
    warm isolated worker unless ``isolate=False``. Raises ValueError for a box outside the
    picture, empty, or above :data:`MAX_CROP_PIXELS`.
    """
    from osint_kit.runner.engine import call_isolated

    src = os.fspath(path)
    _check_box(box)
    folder = _check_out_dir(src, out_dir)
    written: str = call_isolated(f"{__name__}:_crop_here", src,
                                 (list(box), os.fspath(folder.resolve())), isolate=isolate)
    return Path(written)


def _crop_here(path: str, box: list[float], folder: str) -> str:
    """Worker body of :func:`crop`: decode, orient, cut, write a metadata-free PNG."""
    from PIL import Image

    from osint_kit.media.similar.hashes import _PIL_ERRORS, _orientations, open_image_safely

    exif_errors: tuple[type[BaseException], ...] = (*_PIL_ERRORS, RecursionError)
    bad_box: ValueError | None = None
    # ``box`` came through JSON: a tuple became a list, ints and floats stay apart. Errors
    # inside the ``with`` become the guard's typed errors (ValueError included), so a bad
    # box is carried out of it and raised as it is.
    with open_image_safely(path) as im:
        try:
            orientation = int(im.getexif().get(0x0112, 1))
        except exif_errors:  # a broken EXIF block: the stored pixels, as they are
            orientation = 1
        width, height = im.size
        if orientation in (5, 6, 7, 8):  # turned by a quarter: the viewer shows it sideways
            width, height = height, width
        try:
            x, y, w, h = _pixel_box(box, width, height)  # before decoding: costs nothing
        except ValueError as err:
            bad_box = err
        else:  # cut the stored pixels, then turn only the cut: no second full-size copy
            region = im.crop(_stored_box(orientation, (x, y, x + w, y + h), *im.size))
            method = _orientations().get(orientation)
            if method is not None:
                region = region.transpose(method)
    if bad_box is not None:
        raise bad_box
    if region.mode in ("P", "PA"):
        region = region.convert("RGBA" if "transparency" in region.info or region.mode == "PA"
                                else "RGB")
    elif region.mode not in ("1", "L", "LA", "RGB", "RGBA", "I;16"):
        region = region.convert("RGBA" if "A" in region.getbands() else "RGB")
    clean = Image.new(region.mode, region.size)
    clean.paste(region)  # a new image: nothing of the original's info (EXIF, ICC, text) comes
    target = _out_path(Path(path), Path(folder), x, y, w, h)
    for n in range(1000):
        candidate = target if n == 0 else target.with_name(f"{target.stem}-{n}.png")
        try:
            with open(candidate, "xb") as fh:  # never overwrite: evidence or an earlier copy
                clean.save(fh, format="PNG")
            return str(candidate)
        except FileExistsError:
            continue
    raise FileExistsError(f"{target}: 1000 crops of this box already exist in {folder}")


#: The public name (``ok.crop_image``): :func:`crop` under the name the package exports.
crop_image = crop
