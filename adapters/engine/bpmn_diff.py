"""Compare two BPMN documents element by element: added, removed and changed elements with property changes."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from adapters.engine.bpmn_checks import BPMN, NS, SPIFF, local
from adapters.engine.xmlsafe import parse_untrusted_xml


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    name: str
    changes: tuple[tuple[str, str, str], ...]  # (property, before, after)


@dataclass(frozen=True)
class DocumentDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[ElementChange, ...]

    @property
    def summary(self) -> dict[str, object]:
        """A short description for the audit log."""
        return {"added": list(self.added)[:50], "removed": list(self.removed)[:50],
                "changed": [c.element_id for c in self.changed][:50]}


_SKIP = {"incoming", "outgoing", "flowNodeRef", "extensionElements", "properties", "parameters",
         "documentation", "definitions", "laneSet", "process", "collaboration"}


def _properties(node: etree._Element, lanes: dict[str, str]) -> dict[str, str]:
    props = {"类型 type": local(node)}
    for key, value in node.attrib.items():
        if key != "id":
            props[etree.QName(key).localname] = value
    if node.get("id") in lanes:
        props["泳道 lane"] = lanes[node.get("id", "")]
    for child in node.iter():
        if child is node or not isinstance(child.tag, str):
            continue
        name = local(child)
        if child.tag == f"{{{SPIFF}}}property":
            props[child.get("name", "")] = child.get("value", "")
        elif child.tag == f"{{{SPIFF}}}parameter":
            props[f"参数 {child.get('id', '')}"] = child.get("value", "")
        elif child.tag == f"{{{SPIFF}}}serviceTaskOperator":
            props["服务 operator"] = child.get("id", "")
        elif name not in _SKIP and (child.text or "").strip():
            props[name] = (child.text or "").strip()
    return props


def elements(xml: str | bytes) -> dict[str, dict[str, str]]:
    """Element id → its properties (type, attributes, lane, extension properties, scripts, conditions)."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    root = parse_untrusted_xml(data, "diagram.bpmn")
    lanes = {}
    for lane in root.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            lanes[(ref.text or "").strip()] = lane.get("name", "")
    result = {}
    for process in root.iter(f"{{{BPMN}}}process"):
        for node in process.iter():
            if isinstance(node.tag, str) and node.tag.startswith(f"{{{BPMN}}}") and node.get("id") \
                    and local(node) not in _SKIP:
                result[node.get("id", "")] = _properties(node, lanes)
    return result


def compare(before: str | bytes, after: str | bytes) -> DocumentDiff:
    """What changed from ``before`` to ``after`` (diagram layout is ignored)."""
    old, new = elements(before), elements(after)
    changed = []
    for element_id in sorted(set(old) & set(new)):
        a, b = old[element_id], new[element_id]
        changes = tuple((key, a.get(key, ""), b.get(key, "")) for key in sorted(set(a) | set(b))
                        if a.get(key, "") != b.get(key, ""))
        if changes:
            changed.append(ElementChange(element_id, b.get("name") or a.get("name") or element_id, changes))
    return DocumentDiff(added=tuple(sorted(set(new) - set(old))), removed=tuple(sorted(set(old) - set(new))),
                        changed=tuple(changed))
