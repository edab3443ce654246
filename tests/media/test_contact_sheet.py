"""Contact sheets of extracted frames: a matplotlib figure and escaped, self-contained HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from osint_kit.display.contact_sheet import contact_sheet, contact_sheet_html, format_time
from osint_kit.media.frames import Frame, frames_table, keyframes
from osint_kit.testing.videos import make_clip

HOSTILE = "<script>alert(1)<\\script> $x^{$ <img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> list[Frame]:
    folder = tmp_path_factory.mktemp("evidence")
    clip = make_clip(folder / f"{HOSTILE}.mp4", seconds=3, gop=10, seed=4)
    return keyframes.here(clip, tmp_path_factory.mktemp("work"))


def test_format_time() -> None:
    assert format_time(0) == "0:00:00.000"
    assert format_time(12.3456) == "0:00:12.346"
    assert format_time(3725.5) == "1:02:05.500"
    assert format_time(None) == "?"


def test_figure(frames: list[Frame]) -> None:
    from matplotlib.figure import Figure

    fig = contact_sheet(frames, columns=4)
    assert isinstance(fig, Figure)
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == len(frames) == 8
    assert len(fig.axes) == 8  # two rows of four
    labels = [ax.get_xlabel() for ax in drawn]
    assert labels == [f"{format_time(f.time_s)} key" for f in frames]
    pixels = drawn[0].images[0].get_array()
    assert pixels is not None and pixels.shape[:2] == (240, 320)
    title = " ".join(t.get_text() for t in fig.texts)
    assert "<script>" in title and r"\$x" in title  # plain text; mathtext disarmed
    fig.savefig(Path(frames[0].path).parent / "sheet.png")  # draws without error


def test_figure_from_table_and_missing_copy(frames: list[Frame], tmp_path: Path) -> None:
    table = frames_table(frames[:3])
    table.loc[1, "path"] = str(tmp_path / "gone.png")
    fig = contact_sheet(table, columns=6)
    assert sum(1 for ax in fig.axes if ax.images) == 2
    assert any("NotAFileError" in t.get_text() for ax in fig.axes for t in ax.texts)


def test_html(frames: list[Frame]) -> None:
    html = contact_sheet_html(frames)
    assert html.count("<figure") == len(frames)
    assert html.count("src='data:image/jpeg;base64,") == len(frames)
    for f in frames:
        assert format_time(f.time_s) in html
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html
    # nothing is loaded from anywhere: every src is a data: URI
    assert all(src.startswith("data:") for src in re.findall(r"src='([^']*)'", html))
    assert "http" not in html


def test_html_bounds_and_escapes_errors(frames: list[Frame], tmp_path: Path) -> None:
    records = frames_table(frames)
    records.loc[0, "path"] = str(tmp_path / "<b>missing</b>.png")
    html = contact_sheet_html(records, max_frames=3)
    assert html.count("<figure") == 3 and "first 3 frames shown" in html
    assert "<b>missing" not in html and "&lt;b&gt;missing" in html
    assert contact_sheet_html([]).count("<figure") == 0
