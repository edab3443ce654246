"""Hostile files through every batch reader: scan, inspect and perceptual hashing.

About 1,500 deterministic hostile files (``hostile.py``: truncations, bit flips, IFD cycles,
lying counts and offsets, decompression bombs, polyglots, deep/entity XMP, broken IPTC and
HEIF boxes...). Every batch must give one row per file, never raise, and record each failure
as a per-file error whose ``error_type`` is an osint_kit error class. No file may hit the
5 s per-file limit: a hang is a reader bug, reported, not tolerated. The full 10,000-file run
with peak memory is ``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pandas as pd
import pytest
from reliability_targets import osint_error_names

from osint_kit.testing.hostile import FAMILIES, generate

pytestmark = pytest.mark.slow

N_FILES = 1500
SEED = 20221118
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "camera-samples"
TIMEOUT_TYPES = {"ProcessingTimeoutError"}
CRASH_TYPES = {"WorkerCrashedError"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("hostile")
    return generate(out, N_FILES, seed=SEED, samples=SAMPLES if SAMPLES.exists() else None)


def _family(path: str) -> str:
    name = Path(path).stem
    return name.split("_", 1)[1] if "_" in name else "?"


def _check_error_rows(df: pd.DataFrame, what: str) -> collections.Counter[str]:
    """Failures must be osint_kit errors with a message; no timeouts, no worker crashes."""
    allowed = osint_error_names()
    failed = df[df["error_type"].notna()]
    kinds = collections.Counter(failed["error_type"])
    foreign = failed[~failed["error_type"].isin(allowed)]
    detail = [(Path(p).name, t, str(e)[:120]) for p, t, e in
              foreign[["path", "error_type", "error"]].head(10).itertuples(index=False)]
    assert foreign.empty, f"{what}: {len(foreign)} non-osint_kit errors escaped: {detail}"
    empty_msg = failed[failed["error"].fillna("").str.strip() == ""]
    assert empty_msg.empty, f"{what}: errors without a message: {list(empty_msg['path'])[:5]}"
    hung = failed[failed["error_type"].isin(TIMEOUT_TYPES)]
    assert hung.empty, (f"{what}: {len(hung)} files hit the 5 s limit (a reader hangs): "
                        f"{[Path(p).name for p in hung['path'].head(10)]}")
    crashed = failed[failed["error_type"].isin(CRASH_TYPES)]
    assert crashed.empty, (f"{what}: {len(crashed)} files killed their worker: "
                           f"{[Path(p).name for p in crashed['path'].head(10)]}")
    return kinds


def test_corpus_has_every_family(corpus: list[Path]) -> None:
    assert len(corpus) == N_FILES
    assert {_family(str(p)) for p in corpus} == set(FAMILIES)


def test_scan_hostile_corpus(corpus: list[Path]) -> None:
    from osint_kit.media.read.schema import SCAN_COLUMNS
    from osint_kit.media.scan import scan

    folder = corpus[0].parent
    df = scan(folder, workers=2, progress=False, timeout=5)
    assert tuple(df.columns) == tuple(SCAN_COLUMNS)
    assert len(df) == len(corpus)
    assert sorted(df["path"]) == sorted(str(p.absolute()) for p in corpus)
    kinds = _check_error_rows(df, "scan")
    print(f"\nscan: {len(df)} hostile files, {int(df['error_type'].notna().sum())} per-file "
          f"errors {dict(kinds)}, 0 uncaught, 0 timeouts")


def test_inspect_hostile_corpus(corpus: list[Path]) -> None:
    from osint_kit.media.forensics import inspect as findings
    from osint_kit.media.scan import scan

    df = scan(corpus[0].parent, workers=2, progress=False, timeout=5)
    out = findings.inspect_scan(df, progress=False)
    assert list(out.columns)[: len(findings.FINDING_COLUMNS)] == list(findings.FINDING_COLUMNS)
    # every file given must still be accounted for (a finding or an error row, never dropped)
    readable = df[df["error_type"].isna()]
    for path in readable["path"].head(200):
        try:
            result = findings.inspect.here(path)  # the code itself, not the worker
        except Exception as err:  # noqa: BLE001 - the point is to see what escapes
            assert type(err).__name__ in osint_error_names(), (path, repr(err))
        else:
            assert isinstance(result._repr_html_(), str)


def test_perceptual_hashes_hostile_corpus(corpus: list[Path]) -> None:
    from osint_kit.media.similar.hashes import HASH_COLUMNS, perceptual_hashes

    df = perceptual_hashes(corpus, workers=2, progress=False, timeout=5)
    assert tuple(df.columns) == tuple(HASH_COLUMNS)
    assert len(df) == len(corpus)
    assert sorted(df["path"]) == sorted(str(p) for p in corpus)
    kinds = _check_error_rows(df, "perceptual_hashes")
    ok = df[df["error_type"].isna()]
    assert ok["phash"].str.fullmatch(r"[0-9a-f]{16}").all()
    print(f"\nperceptual_hashes: {len(df)} files, {len(df) - len(ok)} per-file errors "
          f"{dict(kinds)}")


@pytest.mark.filterwarnings("ignore")  # Pillow complains about most of these files
def test_single_file_helpers_on_hostile_files(corpus: list[Path]) -> None:
    """What a notebook calls on one file gives a result or an osint_kit error, nothing else
    (run here, ``.here``, to test the code itself; found jpeg_quality letting Pillow's
    DecompressionBombError out)."""
    from osint_kit.media.forensics.daylight import mean_luminance
    from osint_kit.media.forensics.quality import jpeg_quality
    from osint_kit.media.forensics.thumbnail import compare_thumbnail, extract_thumbnail
    from osint_kit.media.forensics.views import preview_image  # the case report's thumbnails
    from osint_kit.media.similar.hashes import image_hashes

    helpers = (mean_luminance, image_hashes, jpeg_quality, extract_thumbnail, compare_thumbnail,
               preview_image)
    allowed = osint_error_names()
    escaped = []
    tried = corpus[::5]
    for path in tried:
        for helper in helpers:
            try:
                helper.here(path)
            except Exception as err:  # noqa: BLE001 - the point is to see what escapes
                if type(err).__name__ not in allowed:
                    escaped.append((helper.__name__, path.name, repr(err)[:120]))
    assert not escaped, f"{len(escaped)} non-osint_kit errors escaped: {escaped[:10]}"
    print(f"\nsingle-file helpers: {len(tried)} hostile files x {len(helpers)} helpers, "
          "0 uncaught")
