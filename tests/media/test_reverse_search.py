"""Reverse-search assist: links built as strings (never opened), crops as working copies."""

from __future__ import annotations

import ast
import hashlib
import inspect
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from osint_kit.display import reverse_links
from osint_kit.display.reverse_links import search_links_html
from osint_kit.errors import CorruptImageError, ImageTooLargeError, UnsupportedFormatError
from osint_kit.media.similar import reverse
from osint_kit.media.similar.reverse import DISCLOSURE, SearchLink, crop_image, search_links

HOSTILE_URL = "https://example.org/a b/\"q'<x>.jpg?x=1&y=2#frag ü-€-日本"
#: the query parameter that carries the image URL, per engine
PARAM = {"Google Lens": "url", "Yandex Images": "url", "Bing Visual Search": "imgurl",
         "TinEye": "url"}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- links ---------------------------------------------------------------------------------------


def test_by_url_links_carry_the_url_as_one_encoded_value() -> None:
    links = search_links(HOSTILE_URL)
    assert [link.engine for link in links] == list(PARAM)
    for link in links:
        assert link.mode == "url"
        assert link.url.startswith("https://")
        # nothing of the image URL survives unencoded: no quote, space, '#', '<' or non-ASCII
        assert link.url.isascii()
        for char in " \"'<>#":
            assert char not in link.url
        parts = urlsplit(link.url)
        assert parts.fragment == ""
        query = parse_qs(parts.query)
        # the image URL decodes back exactly, as one value of one parameter
        assert query[PARAM[link.engine]] == [HOSTILE_URL]
        # '&' and '=' in the image URL add no parameters of their own
        assert "y" not in query and "x" not in query


def test_known_forms() -> None:
    by_engine = {link.engine: link.url for link in search_links("https://a.example/p.jpg")}
    enc = "https%3A%2F%2Fa.example%2Fp.jpg"
    assert by_engine == {
        "Google Lens": f"https://lens.google.com/uploadbyurl?url={enc}",
        "Yandex Images": f"https://yandex.com/images/search?rpt=imageview&url={enc}",
        "Bing Visual Search": f"https://www.bing.com/images/searchbyimage?cbir=sbi&imgurl={enc}",
        "TinEye": f"https://tineye.com/search?url={enc}",
    }


def test_without_url_upload_pages_and_an_instruction() -> None:
    links = search_links()
    assert len(links) == 4
    for link in links:
        assert link.mode == "upload"
        assert link.url.startswith("https://") and "?" not in link.url
        assert "upload" in link.instruction.lower() and "\n" not in link.instruction
        assert link.discloses


@pytest.mark.parametrize("bad", ["", "   ", "file:///etc/passwd", "javascript:alert(1)",
                                 "ftp://x.example/a.jpg", "https://", "/local/photo.jpg",
                                 "https://[::1/x.jpg", "https://x.example/" + "a" * 5000,
                                 "https://x.example/\ud800.jpg", "https://x.example/a\nb.jpg",
                                 "https://x.example/\x00.jpg"])
def test_unfetchable_urls_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        search_links(bad)


def test_link_is_frozen() -> None:
    link = search_links()[0]
    with pytest.raises(AttributeError):
        link.url = "https://evil.example"  # type: ignore[misc]


@pytest.mark.parametrize("module", [reverse, reverse_links])
def test_no_network_or_browser_code(module: object) -> None:
    tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    forbidden = {"urllib.request", "http.client", "requests", "httpx", "socket", "webbrowser",
                 "aiohttp", "urllib3", "subprocess"}
    assert not {name for name in imported
                if name in forbidden or name.split(".")[0] in forbidden}
    assert "webbrowser" not in inspect.getsource(module)  # type: ignore[arg-type]


# --- HTML ----------------------------------------------------------------------------------------


def test_html_escapes_and_warns_first() -> None:
    links = search_links(HOSTILE_URL)
    hostile = SearchLink("<script>alert(1)</script>", "https://x.example/\"><img src=x>",
                         "<b onmouseover=1>", "<i>x</i>", "url")
    page = search_links_html([*links, hostile])
    assert "<script" not in page and "<img" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x&gt;" in page
    assert page.count('rel="noopener noreferrer"') == 5
    assert page.count('target="_blank"') == 5
    # the warning comes before the first link
    assert page.index("Before you search") < page.index("<a ")
    assert page.count("<a ") == 5
    first = page.split("Before you search", 1)[1].split("</p>", 1)[0]
    assert first.strip(": </b>").startswith(DISCLOSURE[:40])


def test_html_writes_no_link_for_other_schemes() -> None:
    page = search_links_html([SearchLink("X", "javascript:alert(1)", "d", "i", "url")])
    assert "<a " not in page and "href" not in page
    assert "javascript:alert(1)" in page  # shown as text


# --- crops ---------------------------------------------------------------------------------------


def _picture(path: Path, size: tuple[int, int] = (200, 100), orientation: int | None = None
             ) -> Path:
    im = Image.new("RGB", size)
    for x in range(size[0]):  # left half red, right half blue; a green square top-left
        for y in range(size[1]):
            im.putpixel((x, y), (0, 200, 0) if x < 20 and y < 20 else
                        (220, 0, 0) if x < size[0] // 2 else (0, 0, 220))
    exif = Image.Exif()
    exif[0x010F] = "TestMake"
    if orientation:
        exif[0x0112] = orientation
    im.save(path, format="JPEG", quality=95, exif=exif.tobytes())
    return path


def test_crop_writes_a_new_png_and_leaves_the_original(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    src = _picture(evidence / "photo.jpg")
    before = _sha(src)
    out = crop_image.here(src, (0, 0, 20, 20), work)
    assert _sha(src) == before
    assert out.parent == work.resolve() and out.suffix == ".png"
    assert sorted(p.name for p in evidence.iterdir()) == ["photo.jpg"]
    with Image.open(out) as im:
        assert im.format == "PNG" and im.size == (20, 20)
        r, g, b = im.convert("RGB").getpixel((10, 10))  # type: ignore[misc]
        assert g > 150 and r < 80 and b < 80
        assert not im.info.get("exif") and "icc_profile" not in im.info
    assert b"TestMake" not in out.read_bytes() and b"eXIf" not in out.read_bytes()
    # a second crop of the same box never overwrites the first
    again = crop_image.here(src, (0, 0, 20, 20), work)
    assert again != out and out.exists() and again.exists()


def test_crop_fractions(tmp_path: Path) -> None:
    src = _picture(tmp_path / "p.jpg")
    (tmp_path / "w").mkdir()
    out = crop_image.here(src, (0.5, 0.0, 0.5, 1.0), tmp_path / "w")
    with Image.open(out) as im:
        assert im.size == (100, 100)
        r, _, b = im.convert("RGB").getpixel((50, 50))  # type: ignore[misc]
        assert b > 150 and r < 80  # the blue half


def test_crop_follows_exif_orientation(tmp_path: Path) -> None:
    # stored 200x100, orientation 6 (rotate 90° clockwise to view): a viewer shows 100x200
    src = _picture(tmp_path / "p.jpg", orientation=6)
    (tmp_path / "w").mkdir()
    out = crop_image.here(src, (0, 0, 100, 200), tmp_path / "w")
    with Image.open(out) as im:
        assert im.size == (100, 200)
        # the green square (stored top-left) is now at the top right
        r, g, b = im.convert("RGB").getpixel((90, 10))  # type: ignore[misc]
        assert g > 150 and r < 80 and b < 80
    with pytest.raises(ValueError, match="outside"):
        crop_image.here(src, (0, 0, 200, 100), tmp_path / "w")


@pytest.mark.parametrize("box", [(-1, 0, 10, 10), (0, 0, 201, 10), (190, 0, 20, 10),
                                 (0, 95, 10, 10), (0, 0, 0, 10), (0, 0, 10, -5),
                                 (0.5, 0.0, 0.6, 1.0), (0.0, 0.0, 1.5, 1.0), (0, 0, 1e-9, 0.5),
                                 (0, 0, 10), (0, 0, "10", 10), (0, 0, float("nan"), 1.0),
                                 (True, 0, 10, 10)])
def test_crop_bounds_checked(tmp_path: Path, box: tuple[object, ...]) -> None:
    src = _picture(tmp_path / "p.jpg")
    (tmp_path / "w").mkdir()
    before = _sha(src)
    with pytest.raises(ValueError):
        crop_image.here(src, box, tmp_path / "w")  # type: ignore[arg-type]
    assert list((tmp_path / "w").iterdir()) == []
    assert _sha(src) == before


def test_crop_refuses_the_evidence_folder(tmp_path: Path) -> None:
    src = _picture(tmp_path / "p.jpg")
    with pytest.raises(ValueError, match="evidence"):
        crop_image.here(src, (0, 0, 10, 10), tmp_path)
    with pytest.raises(NotADirectoryError):
        crop_image.here(src, (0, 0, 10, 10), tmp_path / "missing")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jpg"]


def test_crop_without_out_dir_uses_a_temporary_folder(tmp_path: Path) -> None:
    src = _picture(tmp_path / "p.jpg")
    out = crop_image.here(src, (10, 10, 30, 30))
    try:
        assert out.parent != tmp_path and out.exists()
    finally:
        out.unlink()
        out.parent.rmdir()


def test_crop_hostile_files_give_typed_errors(tmp_path: Path) -> None:
    from osint_kit.testing.hostile import giant_png

    (tmp_path / "w").mkdir()
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(giant_png())
    with pytest.raises(ImageTooLargeError):
        crop_image.here(bomb, (0, 0, 10, 10), tmp_path / "w")
    text = tmp_path / "note.jpg"
    text.write_bytes(b"not a picture at all")
    with pytest.raises(UnsupportedFormatError):
        crop_image.here(text, (0, 0, 10, 10), tmp_path / "w")
    cut = tmp_path / "cut.jpg"
    whole = _picture(tmp_path / "whole.jpg").read_bytes()
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(CorruptImageError):
        crop_image.here(cut, (0, 0, 10, 10), tmp_path / "w")
    assert list((tmp_path / "w").iterdir()) == []


def test_crop_isolated(tmp_path: Path) -> None:
    """The default runs in the warm worker and returns the same kind of result."""
    src = _picture(tmp_path / "p.jpg")
    (tmp_path / "w").mkdir()
    out = crop_image(src, (0, 0, 20, 20), tmp_path / "w")
    with Image.open(out) as im:
        assert im.size == (20, 20)
    with pytest.raises(ValueError, match="outside"):
        crop_image(src, (0, 0, 500, 20), tmp_path / "w")


@pytest.mark.parametrize("orientation", range(1, 9))
def test_crop_matches_the_upright_picture_for_every_orientation(tmp_path: Path,
                                                                orientation: int) -> None:
    """The crop equals the same box cut from the picture turned upright by Pillow itself."""
    from PIL import ImageOps

    im = Image.new("RGB", (60, 40))
    im.putdata([(x * 4, y * 6, (x * y) % 256) for y in range(40) for x in range(60)])
    exif = Image.Exif()
    exif[0x0112] = orientation
    src = tmp_path / "p.png"
    im.save(src, format="PNG", exif=exif.tobytes())
    with Image.open(src) as opened:
        upright = ImageOps.exif_transpose(opened).convert("RGB")
    (tmp_path / "w").mkdir()
    box = (3, 5, 17, 11)
    out = crop_image.here(src, box, tmp_path / "w")
    expected = upright.crop((3, 5, 20, 16))
    with Image.open(out) as got:
        assert got.size == expected.size
        assert got.convert("RGB").tobytes() == expected.tobytes()
