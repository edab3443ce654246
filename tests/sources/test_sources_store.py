"""Models, Admiralty grades and lossless CSV / YAML round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osint_kit.errors import SourceError
from osint_kit.sources import (
    CREDIBILITY,
    RELIABILITY,
    SOURCE_KINDS,
    Claim,
    Proposition,
    Source,
    SourceSet,
    load_csv,
    load_yaml,
    save_csv,
    save_yaml,
)
from osint_kit.sources.models import admiralty_table, content_hash, grade_label


def test_admiralty_scales_have_standard_meanings() -> None:
    assert list(RELIABILITY) == ["A", "B", "C", "D", "E", "F"]
    assert list(CREDIBILITY) == [1, 2, 3, 4, 5, 6]
    assert RELIABILITY["A"][0] == "Completely reliable"
    assert RELIABILITY["F"][0] == "Reliability cannot be judged"
    assert CREDIBILITY[1][0] == "Confirmed by other sources"
    assert CREDIBILITY[6][0] == "Truth cannot be judged"
    assert grade_label("B", 2) == "B2 - Usually reliable / Probably true"
    assert len(admiralty_table()) == 12


def test_source_grades_validated_separately() -> None:
    s = Source("reuters", kind="wire", reliability="b", credibility="2")  # type: ignore[arg-type]
    assert s.grade == "B2" and s.credibility == 2
    assert "Usually reliable" in s.grade_meaning
    with pytest.raises(SourceError, match="A-F"):
        Source("x", reliability="G")
    with pytest.raises(SourceError, match="1-6"):
        Source("x", credibility=7)
    with pytest.raises(SourceError, match="kind"):
        Source("x", kind="blog")
    with pytest.raises(SourceError, match="itself"):
        Source("x", cites=("x",))
    with pytest.raises(SourceError):
        Source("bad;id")
    with pytest.raises(SourceError, match="stance"):
        Claim("c", "s", stance="agrees")


def test_source_content_hash_and_when() -> None:
    s = Source("a", published="2023-01-20").with_text("line one\r\nline two")
    assert s.content_hash == content_hash("line one\nline two")
    w = s.published_when()
    assert w.earliest.year == 2023


def _sample() -> SourceSet:
    return SourceSet(
        sources=(
            Source("briefing", "White House press briefing, 20 Jan 2023",
                   publisher="The White House", kind="primary statement", language="en",
                   published="2023-01-20", reliability="B", credibility=2),
            Source("pap", "Biały Dom: wagony z amunicją, \"zdjęcia\"", publisher="PAP",
                   kind="wire", language="pl", cites=("briefing",), reliability="B",
                   credibility=3, notes="line one\nline two, with comma"),
            Source("agg", "USA. Wagons with ammunition", kind="aggregator copy",
                   copies=("pap",), cites=("briefing", "pap"), captured_at="2024-02-26"),
        ),
        claims=(
            Claim("c1", "agg", "five railway cars moving from Russia to North Korea",
                  claimant="John Kirby", proposition_id="p1", stance="supports",
                  about="November 18, 2022", origin_id="briefing", confirmed=True),
            Claim("c2", "agg", "rumors and speculations", claimant="Yevgeny Prigozhin",
                  proposition_id="p1", stance="contradicts", is_quote=True),
        ),
        propositions=(Proposition("p1", "Russian railcars took North Korean munitions to "
                                        "Wagner on 18-19 Nov 2022", when="2022-11-18/19"),),
    )


def test_csv_round_trip(tmp_path: Path) -> None:
    ss = _sample()
    folder = save_csv(ss, tmp_path / "case")
    assert {p.name for p in folder.iterdir()} == {"sources.csv", "claims.csv",
                                                  "propositions.csv"}
    assert load_csv(folder) == ss
    assert SourceSet.load(folder) == ss
    assert ss.validate() == []


def test_yaml_round_trip(tmp_path: Path) -> None:
    ss = _sample()
    path = ss.save(tmp_path / "case.yaml")
    assert load_yaml(path) == ss
    # a hand-typed YAML date and a number are read as text
    path.write_text(path.read_text(encoding="utf-8").replace("'2023-01-20'", "2023-01-20"),
                    encoding="utf-8")
    assert load_yaml(path).source("briefing").published == "2023-01-20"


def test_hand_edit_errors_are_clear(tmp_path: Path) -> None:
    folder = save_csv(_sample(), tmp_path / "case")
    text = (folder / "sources.csv").read_text(encoding="utf-8")
    (folder / "sources.csv").write_text(text.replace("\"B\",\"2\"", "\"Q\",\"2\""), encoding="utf-8")
    with pytest.raises(SourceError, match=r"sources.csv:2.*A-F"):
        load_csv(folder)
    dangling = SourceSet(sources=(Source("a", cites=("zzz",)),),
                         claims=(Claim("c", "nope"),))
    problems = dangling.validate()
    assert any("zzz" in p for p in problems) and any("nope" in p for p in problems)
    with pytest.raises(SourceError, match="duplicate"):
        SourceSet(sources=(Source("a"), Source("a")))


_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
                max_size=40)
_ident = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)


@st.composite
def source_sets(draw: st.DrawFn) -> SourceSet:
    ids = draw(st.lists(_ident, min_size=1, max_size=4, unique=True))
    sources = []
    for i, sid in enumerate(ids):
        others = [x for x in ids if x != sid]
        sources.append(Source(
            sid, title=draw(_text), publisher=draw(st.none() | _text),
            author=draw(st.none() | _text), party=draw(st.none() | _text),
            url=draw(st.none() | _text),
            kind=draw(st.sampled_from(SOURCE_KINDS)), language=draw(st.none() | _text),
            published=draw(st.none() | _text), captured_at=draw(st.none() | _text),
            cites=tuple(draw(st.lists(st.sampled_from(others), unique=True, max_size=2))
                        if others else ()),
            copies=tuple(draw(st.lists(st.sampled_from(others), unique=True, max_size=1))
                         if others and i % 2 else ()),
            reliability=draw(st.sampled_from(list(RELIABILITY))),
            credibility=draw(st.sampled_from(list(CREDIBILITY))),
            content_hash=draw(st.none() | st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
            notes=draw(st.none() | _text)))
    claims = [Claim(f"c{n}", draw(st.sampled_from(ids)), draw(_text),
                    claimant=draw(st.none() | _text), proposition_id=draw(st.none() | _ident),
                    stance=draw(st.sampled_from(["supports", "contradicts", "mentions"])),
                    is_quote=draw(st.booleans()), stated=draw(st.none() | _text),
                    about=draw(st.none() | _text),
                    confirmed=draw(st.booleans()), provenance=draw(st.none() | _text))
              for n in range(draw(st.integers(0, 3)))]
    props = [Proposition(f"p{n}", draw(_text), when=draw(st.none() | _text))
             for n in range(draw(st.integers(0, 2)))]
    return SourceSet(tuple(sources), tuple(claims), tuple(props))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(source_sets())
def test_round_trips_are_lossless(tmp_path: Path, ss: SourceSet) -> None:
    assert load_csv(save_csv(ss, tmp_path / "csv")) == ss
    assert load_yaml(save_yaml(ss, tmp_path / "set.yaml")) == ss


def test_old_files_with_when_load_as_about(tmp_path: Path) -> None:
    """Files written before claims had two times (one ``when``) still load (issue 18)."""
    old = tmp_path / "old.yaml"
    old.write_text("sources:\n- {id: s1, published: '2023-01-20'}\nclaims:\n"
                   "- {id: c1, source_id: s1, when: November 18th, stance: supports}\n",
                   encoding="utf-8")
    claim = load_yaml(old).claims[0]
    assert (claim.about, claim.stated) == ("November 18th", None)
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "claims.csv").write_text('"id","source_id","when"\n"c1","s1","Friday"\n',
                                       encoding="utf-8")
    (folder / "sources.csv").write_text('"id"\n"s1"\n', encoding="utf-8")
    assert load_csv(folder).claims[0].about == "Friday"
    saved = SourceSet.load(folder).save(tmp_path / "new.yaml").read_text(encoding="utf-8")
    assert "about: Friday" in saved and "when" not in saved
    both = tmp_path / "both.yaml"
    both.write_text("claims:\n- {id: c1, source_id: s1, when: Friday, about: Monday}\n",
                    encoding="utf-8")
    with pytest.raises(SourceError, match="old name of 'about'"):
        load_yaml(both)
