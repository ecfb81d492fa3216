"""Build small BPMN documents in tests (lanes, user tasks with forms, scripts, gateways)."""

from __future__ import annotations

from xml.sax.saxutils import escape

NS = ('xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
      'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"')


def definitions(*processes: str, extra: str = "") -> bytes:
    body = "".join(processes)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions {NS} id="defs" '
            f'targetNamespace="http://anpei.test">{extra}{body}</bpmn:definitions>').encode()


def user_task(task_id: str, name: str, form: str = "generic_approval", *, org: str | None = None,
              due: str | None = None, post: str | None = None) -> str:
    props = [f'<spiffworkflow:property name="formKey" value="{form}"/>']
    if org:
        props.append(f'<spiffworkflow:property name="candidateOrganisation" value="{escape(org, {chr(34): "&quot;"})}"/>')
    if due:
        props.append(f'<spiffworkflow:property name="dueDate" value="{escape(due, {chr(34): "&quot;"})}"/>')
    post_xml = f"<spiffworkflow:postScript>{escape(post)}</spiffworkflow:postScript>" if post else ""
    return (f'<bpmn:userTask id="{task_id}" name="{name}"><bpmn:extensionElements><spiffworkflow:properties>'
            f'{"".join(props)}</spiffworkflow:properties>{post_xml}</bpmn:extensionElements></bpmn:userTask>')


def lanes(mapping: dict[str, list[str]]) -> str:
    parts = []
    for i, (lane, refs) in enumerate(mapping.items()):
        refs_xml = "".join(f"<bpmn:flowNodeRef>{r}</bpmn:flowNodeRef>" for r in refs)
        parts.append(f'<bpmn:lane id="lane_{i}" name="{lane}">{refs_xml}</bpmn:lane>')
    return f'<bpmn:laneSet id="lanes">{"".join(parts)}</bpmn:laneSet>'


def script_task(task_id: str, script: str) -> str:
    return f'<bpmn:scriptTask id="{task_id}"><bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>'


def flow(fid: str, source: str, target: str, condition: str | None = None) -> str:
    cond = f"<bpmn:conditionExpression>{escape(condition)}</bpmn:conditionExpression>" if condition else ""
    return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}">{cond}</bpmn:sequenceFlow>'


def approval_process(pid: str = "approval", *, review_lane: str = "市局教育训练科", script: str = "approved_n = 1",
                     name: str = "审批") -> bytes:
    """start → submit (institution) → script → review (bureau) → gateway → end / back to submit."""
    body = (
        lanes({"培训机构": ["start", "submit", "calc", "end"], review_lane: ["review", "gw"]})
        + '<bpmn:startEvent id="start"/>'
        + flow("f1", "start", "submit")
        + user_task("submit", "提交材料", org="organisation_id")
        + flow("f2", "submit", "calc")
        + script_task("calc", script)
        + flow("f3", "calc", "review")
        + user_task("review", "审核材料")
        + flow("f4", "review", "gw")
        + '<bpmn:exclusiveGateway id="gw" default="f_back"/>'
        + flow("f_ok", "gw", "end", "decision == 'approve'")
        + flow("f_back", "gw", "submit")
        + '<bpmn:endEvent id="end"/>'
    )
    return definitions(f'<bpmn:process id="{pid}" name="{name}" isExecutable="true">{body}</bpmn:process>')
