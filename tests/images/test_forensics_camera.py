"""inspect() over every real camera sample: no error escapes; counts per code are recorded in
build/findings-camera-samples.json for a look by eye."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from osint_kit.errors import EvidenceError
from osint_kit.media.forensics.inspect import inspect

ROOT = Path(__file__).resolve().parents[2]
SKIP_SUFFIXES = {".txt", ".md", ".rst"}


@pytest.mark.slow
def test_inspect_all_camera_samples(camera_samples: Path) -> None:
    paths = sorted(p for p in camera_samples.rglob("*") if p.is_file() and p.suffix.lower() not in SKIP_SUFFIXES)
    counts: Counter[str] = Counter()
    errors: dict[str, str] = {}
    examples: dict[str, list[str]] = {}
    for p in paths:
        try:
            found = inspect(p)
        except EvidenceError as err:  # typed, per file: allowed
            errors[str(p.relative_to(camera_samples))] = f"{type(err).__name__}: {err.reason}"
            continue
        for f in found:
            counts[f.code] += 1
            examples.setdefault(f.code, []).append(str(p.relative_to(camera_samples)))
            assert f.severity in ("info", "notice", "warning")
            assert f.explanation and f.title
        found._repr_html_()
    inspected = len(paths) - len(errors)
    report = {
        "files": len(paths),
        "inspected": inspected,
        "findings_per_code": dict(counts.most_common()),
        "typed_errors": errors,
        "examples": {k: v[:5] for k, v in sorted(examples.items())},
    }
    out = ROOT / "build" / "findings-camera-samples.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print("\nfindings per code on camera samples:", json.dumps(report["findings_per_code"]))
    assert len(paths) >= 100
    assert inspected >= 0.9 * len(paths)
    # what we know about these files (README: the camera-named JPEGs were scaled with GIMP)
    assert counts["editing_software"] >= 10
    assert "tests/resources/jpg/Canon_40D.jpg" in examples["editing_software"]
    assert "tests/resources/jpg/tests/35-empty.jpg" in examples.get("thumbnail_mismatch", [])


@pytest.mark.slow
def test_inspect_scan_agrees_with_inspect(camera_samples: Path) -> None:
    from osint_kit.media.forensics.inspect import inspect_scan
    from osint_kit.media.scan import scan

    folder = camera_samples / "tests" / "resources" / "jpg" / "gps"
    if not folder.exists():
        pytest.skip("gps samples missing")
    df = scan(folder, workers=0, progress=False)
    out = inspect_scan(df, progress=False)
    direct = Counter(f.code for p in sorted(folder.glob("*.jpg")) for f in inspect(p))
    got = Counter(out.loc[out["code"] != "unreadable_file", "code"])
    assert got == direct
