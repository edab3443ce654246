"""Edge cases of the fast XMP reader: the qname cache, the refusals, the level-by-level depth
check and the leaf-first walk must give the same names, errors and values as before."""

from __future__ import annotations

import pytest

from osint_kit.media.read import _xmp
from osint_kit.media.read._xmp import MAX_DEPTH, MAX_VALUES, XmpError, XmpResult, parse_xmp

pytestmark = pytest.mark.timeout(60)  # a hang guard, not a timing assertion

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
HEAD = f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='{RDF}'>"
TAIL = "</rdf:RDF></x:xmpmeta>"
NS = (" xmlns:xmpMM='http://ns.adobe.com/xap/1.0/mm/'"
      " xmlns:stEvt='http://ns.adobe.com/xap/1.0/sType/ResourceEvent#'"
      " xmlns:xmp='http://ns.adobe.com/xap/1.0/' xmlns:p='http://example.com/p/'")


def _packet(description_body: str, attrs: str = "") -> bytes:
    return f"{HEAD}<rdf:Description rdf:about=''{NS}{attrs}>{description_body}</rdf:Description>{TAIL}".encode()


def test_more_distinct_namespaces_than_the_cache_holds_still_name_correctly() -> None:
    n = _xmp._QNAME_CACHE + 500
    for first in range(0, n, 2000):  # packets below MAX_VALUES properties each
        ids = range(first, min(n, first + 2000))
        chunk = "".join(f"<n{i}:v xmlns:n{i}='http://example.com/ns/k{i}/'>{i}</n{i}:v>"
                        for i in ids)
        assert parse_xmp(_packet(chunk)).props == {f"k{i}:v": str(i) for i in ids}
    assert _xmp._cached_qname.cache_info().currsize <= _xmp._QNAME_CACHE
    # names seen before the evictions are still right when they come back
    assert parse_xmp(_packet("<n0:v xmlns:n0='http://example.com/ns/k0/'>x</n0:v>")).props == {
        "k0:v": "x"}


def test_a_long_tag_is_named_but_not_kept_in_the_cache() -> None:
    ns = "http://example.com/" + "a" * (_xmp._QNAME_KEY_MAX + 10) + "/long#"
    before = _xmp._cached_qname.cache_info()
    assert _xmp._qname(f"{{{ns}}}v") == "long:v"
    assert _xmp._qname(f"{{{ns}}}v") == "long:v"
    after = _xmp._cached_qname.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)  # the cache was bypassed
    result = parse_xmp(_packet(f"<q:v xmlns:q='{ns}'>t</q:v>", attrs=f" xmlns:q='{ns}' q:at='1'"))
    assert result.props == {"long:at": "1", "long:v": "t"}


def test_known_prefixes_and_namespace_fallbacks() -> None:
    assert _xmp._qname(f"{{{RDF}}}li") == "rdf:li"
    assert _xmp._qname("{http://ns.adobe.com/xap/1.0/}CreatorTool") == "xmp:CreatorTool"
    assert _xmp._qname("{http://example.com/a/b#}x") == "b:x"
    assert _xmp._qname("{urn:}x") == "urn::x"
    assert _xmp._qname("{/}x") == "ns:x"
    assert _xmp._qname("plain") == "plain"


@pytest.mark.parametrize("declaration", [
    "<!DOCTYPE x>", "<!doctype x>", "<!DocType x>", "<! DOCTYPE x>", "<!\t\r\n doctype x>",
    "<!ENTITY a 'b'>", "<!eNtItY a 'b'>", "<!\u3000ENTITY a 'b'>", "<!ENT\u0131TY a>",
])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le-bom", "utf-16-be-bom"])
@pytest.mark.parametrize("where", ["before", "inside", "in the padding"])
def test_doctype_or_entity_is_refused_however_it_is_written(
        declaration: str, encoding: str, where: str) -> None:
    text = _packet("<xmp:A>1</xmp:A>").decode()
    if where == "before":
        text = declaration + text
    elif where == "inside":
        text = text.replace("<xmp:A>", declaration + "<xmp:A>")
    else:
        text = text + " " * 200 + declaration
    if encoding == "utf-16-le-bom":
        packet = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        packet = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        packet = text.encode(encoding)
    with pytest.raises(XmpError, match="declares a DOCTYPE or ENTITY"):
        parse_xmp(packet)


def test_lookalike_declarations_are_not_refused() -> None:
    body = "<!-- DOCTYPE ENTITY --><xmp:A><![CDATA[<!DOCTYP]]></xmp:A>"
    assert parse_xmp(_packet(body)).props == {"xmp:A": "<!DOCTYP"}


def _nested(depth: int) -> bytes:
    """x:xmpmeta (depth 0) holding a chain whose deepest element is at ``depth``."""
    return (b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b"<a>" * depth + b"x"
            + b"</a>" * depth + b"</x:xmpmeta>")


def test_depth_limit_is_exact() -> None:
    assert parse_xmp(_nested(MAX_DEPTH)) == XmpResult()
    with pytest.raises(XmpError, match=f"deeper than {MAX_DEPTH} levels"):
        parse_xmp(_nested(MAX_DEPTH + 1))
    with pytest.raises(XmpError, match=f"deeper than {MAX_DEPTH} levels"):
        parse_xmp(_nested(5000))


def test_one_deep_branch_among_wide_shallow_ones_is_refused_before_counting() -> None:
    wide = "<p:k>1</p:k>" * (MAX_VALUES + 10)
    deep = "<p:d>" + "<p:e>" * MAX_DEPTH + "</p:e>" * MAX_DEPTH + "</p:d>"
    with pytest.raises(XmpError, match="deeper than"):
        parse_xmp(_packet(wide + deep))
    with pytest.raises(XmpError, match=f"more than {MAX_VALUES} properties"):
        parse_xmp(_packet(wide))


def test_every_kind_of_property_keeps_its_value() -> None:
    history = (
        "<xmpMM:History><rdf:Seq>"
        "<rdf:li rdf:parseType='Resource'><stEvt:action>created</stEvt:action>"
        "<stEvt:when>2022-11-18</stEvt:when></rdf:li>"
        "<rdf:li stEvt:action='saved' stEvt:softwareAgent='GIMP' stEvt:changed='/'/>"
        "<rdf:li><rdf:Description stEvt:action='converted'>"
        "<stEvt:softwareAgent>PS</stEvt:softwareAgent></rdf:Description></rdf:li>"
        "</rdf:Seq></xmpMM:History>")
    body = (
        "<xmp:Leaf>  text  </xmp:Leaf><xmp:Leaf>second is ignored</xmp:Leaf><xmp:Empty/>"
        "<p:list><rdf:Bag><rdf:li>b</rdf:li></rdf:Bag><rdf:Seq><rdf:li> a </rdf:li>"
        "<rdf:li/><rdf:li>c</rdf:li></rdf:Seq></p:list>"
        "<p:alt><rdf:Alt><rdf:li xml:lang='x-default'>d</rdf:li></rdf:Alt></p:alt>"
        "<p:struct rdf:parseType='Resource'><p:f>1</p:f><p:g> 2 </p:g></p:struct>"
        "<p:nested><rdf:Description p:x='9'><p:y>8</p:y></rdf:Description></p:nested>"
        + history)
    result = parse_xmp(_packet(body, attrs=" xmp:Attr=' v ' xmp:Leaf='from attribute'"))
    assert result.props == {
        "xmp:Attr": "v", "xmp:Leaf": "from attribute", "xmp:Empty": "",
        "p:list": "a; c", "p:alt": "d", "p:struct": "p:f=1; p:g=2",
        "p:nested": "p:x=9; p:y=8", "xmpMM:History": "3 steps",
        # every rdf:Description is read, nested ones too
        "p:x": "9", "p:y": "8", "stEvt:action": "converted", "stEvt:softwareAgent": "PS",
    }
    assert result.lists == {"p:list": ("a", "c"), "p:alt": ("d",)}
    assert result.history == ("created |  | 2022-11-18 | ", "saved | GIMP |  | /",
                              "converted | PS |  | ")


def test_malformed_and_missing_packets_keep_their_messages() -> None:
    with pytest.raises(XmpError, match="no x:xmpmeta or rdf:RDF element"):
        parse_xmp(b"<other/>")
    with pytest.raises(XmpError, match="not well-formed XML: mismatched tag"):
        parse_xmp(_packet("<xmp:A>1</xmp:B>"))
    with pytest.raises(XmpError, match="above the"):
        parse_xmp(b" " * (_xmp.MAX_XMP_BYTES + 1))
