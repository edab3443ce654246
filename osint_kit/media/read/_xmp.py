"""A small, defensive XMP packet reader (no DOCTYPE, no entities, bounded size and depth).

XMP is RDF/XML written by whoever produced the file. ``xml.etree`` with expat is used only
after the packet is checked: a DOCTYPE or ENTITY declaration is refused outright (so no
entity expansion bombs and no external entities), packets above :data:`MAX_XMP_BYTES` are
refused, and the tree walk stops at :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache

MAX_XMP_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 48
MAX_VALUES = 5000

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PREFIXES = {
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#": "stEvt",
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#": "stRef",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/camera-raw-settings/1.0/": "crs",
    "http://ns.adobe.com/xap/1.0/rights/": "xmpRights",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "Iptc4xmpExt",
    "http://ns.adobe.com/exif/1.0/aux/": "aux",
    "http://ns.google.com/photos/1.0/camera/": "GCamera",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://cipa.jp/exif/1.0/": "exifEX",
    RDF: "rdf",
}
_DANGEROUS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_PACKET = re.compile(r"<x:xmpmeta|<rdf:RDF|<x:xapmeta", re.IGNORECASE)
_RDF_NS = f"{{{RDF}}}"
_DESCRIPTION = f"{_RDF_NS}Description"
_LI = f"{_RDF_NS}li"
_CONTAINERS = (f"{_RDF_NS}Seq", f"{_RDF_NS}Bag", f"{_RDF_NS}Alt")  # in order of preference
# tags repeat across files; the cache is bounded in entries and key length (hostile packets)
_QNAME_CACHE = 4096
_QNAME_KEY_MAX = 256


class XmpError(ValueError):
    """The XMP packet was refused or is not well-formed XML."""


@dataclass
class XmpResult:
    """Flattened XMP: ``props`` maps "prefix:Name" to text (lists joined by "; ")."""

    props: dict[str, str] = field(default_factory=dict)
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    history: tuple[str, ...] = ()


@lru_cache(maxsize=_QNAME_CACHE)
def _cached_qname(tag: str) -> str:
    """Write "{namespace}Local" as "prefix:Local" (known prefix, else the namespace's last part)."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        prefix = _PREFIXES.get(ns)
        if prefix is None:
            prefix = ns.rstrip("/#").rsplit("/", 1)[-1] or "ns"
        return f"{prefix}:{local}"
    return tag


def _qname(tag: str) -> str:
    """The "prefix:Local" name of a tag; names longer than _QNAME_KEY_MAX are not cached."""
    if len(tag) > _QNAME_KEY_MAX:
        return _cached_qname.__wrapped__(tag)
    return _cached_qname(tag)


def _text(elem: ET.Element) -> str:
    return (elem.text or "").strip()


def _container_items(elem: ET.Element) -> list[ET.Element] | None:
    """The rdf:li items of the element's rdf:Seq, else rdf:Bag, else rdf:Alt (None: no list)."""
    for kind in _CONTAINERS:
        box = elem.find(kind)
        if box is not None:
            return box.findall(_LI)
    return None


def _struct_fields(li: ET.Element) -> dict[str, str]:
    """Fields of a structure given as attributes or child elements (rdf:parseType=Resource)."""
    out = {_qname(k): v for k, v in li.attrib.items() if not k.startswith(_RDF_NS)}
    holders = [li, *li.findall(_DESCRIPTION)]
    for holder in holders:
        if holder is not li:
            out.update({_qname(k): v for k, v in holder.attrib.items()
                        if not k.startswith(_RDF_NS)})
        for child in holder:
            if child.tag != _DESCRIPTION:
                out[_qname(child.tag)] = _text(child)
    return out


def _check_depth(root: ET.Element) -> None:
    """Refuse a tree with an element deeper than MAX_DEPTH (the root is depth 0), level by level."""
    level = [root]
    depth = 0
    while level:
        if depth > MAX_DEPTH:
            raise XmpError(f"XMP nesting deeper than {MAX_DEPTH} levels (refused)")
        level = [child for elem in level for child in elem]
        depth += 1


def parse_xmp(packet: bytes) -> XmpResult:
    """Parse an XMP packet into flat properties; raise :class:`XmpError` when refused."""
    if len(packet) > MAX_XMP_BYTES:
        raise XmpError(f"XMP packet of {len(packet)} bytes is above the {MAX_XMP_BYTES} limit")
    if packet[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = packet.decode("utf-16", errors="replace")
    else:
        text = packet.decode("utf-8", errors="replace")
    # checked on the decoded text, so a UTF-16 packet cannot hide a DOCTYPE from the check
    if _DANGEROUS.search(text):
        raise XmpError("XMP packet declares a DOCTYPE or ENTITY (refused: possible XML bomb)")
    start = _PACKET.search(text)
    if start is None:
        raise XmpError("no x:xmpmeta or rdf:RDF element in the XMP packet")
    body = text[start.start():]
    for end_marker in ("</x:xmpmeta>", "</x:xapmeta>", "</rdf:RDF>"):
        end = body.rfind(end_marker)
        if end >= 0:
            body = body[: end + len(end_marker)]
            break
    try:
        # safe here: the text holds no DOCTYPE/ENTITY (checked above), so expat cannot expand
        # entities or fetch anything; the XML declaration is cut off with the packet wrapper.
        root = ET.fromstring(body)  # noqa: S314
    except ET.ParseError as err:
        raise XmpError(f"XMP is not well-formed XML: {err}") from err
    _check_depth(root)
    result = XmpResult()
    props = result.props
    count = 0
    for desc in root.iter(_DESCRIPTION):
        for key, value in desc.attrib.items():
            if not key.startswith(_RDF_NS):
                props.setdefault(_qname(key), value.strip())
        for child in desc:
            count += 1
            if count > MAX_VALUES:
                raise XmpError(f"XMP has more than {MAX_VALUES} properties (refused)")
            name = _qname(child.tag)
            if len(child) == 0:  # a simple value (most properties): no list, no structure
                props.setdefault(name, _text(child))
                continue
            items = _container_items(child)
            if name == "xmpMM:History" and items is not None:
                steps = []
                for li in items:
                    f = _struct_fields(li)
                    steps.append(" | ".join(f.get(k, "") for k in (
                        "stEvt:action", "stEvt:softwareAgent", "stEvt:when", "stEvt:changed")))
                result.history = tuple(steps)
                props[name] = f"{len(steps)} steps"
            elif items is not None:
                values = tuple(v for v in (_text(li) for li in items) if v)
                result.lists[name] = values
                props.setdefault(name, "; ".join(values))
            else:
                fields = _struct_fields(child)
                props.setdefault(name, "; ".join(f"{k}={v}" for k, v in fields.items()))
    return result
