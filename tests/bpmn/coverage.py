"""Which BPMN elements the path tests reached, so each diagram's module can prove it walked every path."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from lxml import etree

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
FLOW_NODES = ("startEvent", "endEvent", "userTask", "scriptTask", "serviceTask", "manualTask", "task",
              "businessRuleTask", "callActivity", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
              "eventBasedGateway", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "subProcess",
              "sendTask", "receiveTask")


def diagram_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(BPMN_DIR.glob("*.bpmn")) + sorted(BPMN_DIR.glob("*.dmn"))}


def executable_processes() -> dict[str, Path]:
    found = {}
    for path in sorted(BPMN_DIR.glob("*.bpmn")):
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
        for process in root.findall("bpmn:process", NS):
            if process.get("isExecutable") == "true":
                found[process.get("id")] = path
    return found


def flow_node_ids(process_key: str) -> set[str]:
    path = executable_processes()[process_key]
    root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
    process = root.find(f"bpmn:process[@id='{process_key}']", NS)
    assert process is not None
    return {node.get("id") for kind in FLOW_NODES for node in process.iter(f"{{{NS['bpmn']}}}{kind}")}


REACHED = {"WAITING", "READY", "STARTED", "COMPLETED"}


class Reached:
    """Element ids reached (completed or active) per process, fed by the platform's ``step_saved`` hook."""

    def __init__(self) -> None:
        self.by_process: dict[str, set[str]] = defaultdict(set)

    def record(self, instance) -> None:
        """Called after every saved step; subprocess tasks are filed under their own process."""
        for process, bpmn_id, state in instance.reached_elements():
            if state in REACHED:
                self.by_process[process].add(bpmn_id)

    def missing(self, process_key: str) -> set[str]:
        return flow_node_ids(process_key) - self.by_process[process_key]
