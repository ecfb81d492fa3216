"""Small diagrams exercising engine features through the real platform (DB, serializer, sandbox)."""

from __future__ import annotations

from tests.support.bpmn import definitions, flow, lanes, script_task, user_task

LANE = "培训机构"


def linear(pid: str, *steps: str, name: str = "测试流程") -> bytes:
    """start → steps… → end, all in the institution lane; steps are XML snippets with ids s0, s1, …"""
    ids = [f"s{i}" for i in range(len(steps))]
    chain = ["start", *ids, "end"]
    body = lanes({LANE: chain}) + '<bpmn:startEvent id="start"/>' + "".join(steps)
    body += "".join(flow(f"f{i}", a, b) for i, (a, b) in enumerate(zip(chain, chain[1:], strict=False)))
    body += '<bpmn:endEvent id="end"/>'
    return definitions(f'<bpmn:process id="{pid}" name="{name}" isExecutable="true">{body}</bpmn:process>')


def script(i: int, text: str) -> str:
    return script_task(f"s{i}", text)


def task(i: int, name: str = "填写", **kwargs: str | None) -> str:
    return user_task(f"s{i}", name, **kwargs)


def service(i: int, operator: str, params: dict[str, str], result: str = "result") -> str:
    ps = "".join(f'<spiffworkflow:parameter id="{k}" type="str" value="{v}"/>' for k, v in params.items())
    return (f'<bpmn:serviceTask id="s{i}" name="调用服务"><bpmn:extensionElements>'
            f'<spiffworkflow:serviceTaskOperator id="{operator}" resultVariable="{result}">'
            f'<spiffworkflow:parameters>{ps}</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>'
            f'</bpmn:extensionElements></bpmn:serviceTask>')


def timer_wait(i: int, duration: str) -> str:
    return (f'<bpmn:intermediateCatchEvent id="s{i}" name="等待"><bpmn:timerEventDefinition>'
            f'<bpmn:timeDuration>"{duration}"</bpmn:timeDuration></bpmn:timerEventDefinition>'
            f'</bpmn:intermediateCatchEvent>')


def message_wait(i: int, message: str, variable: str = "payload") -> str:
    return (f'<bpmn:intermediateCatchEvent id="s{i}" name="等待结果"><bpmn:messageEventDefinition messageRef="m_{message}">'
            f'<bpmn:extensionElements><spiffworkflow:messageVariable>{variable}</spiffworkflow:messageVariable>'
            f'</bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:intermediateCatchEvent>')


def with_message(xml: bytes, message: str) -> bytes:
    return xml.replace(b'<bpmn:process ', f'<bpmn:message id="m_{message}" name="{message}"/><bpmn:process '.encode(), 1)


def with_start_property(xml: bytes, name: str, value: str) -> bytes:
    """Give the start event of a ``linear`` diagram a spiffworkflow property (e.g. startPage, calledOnly)."""
    return xml.replace(b'<bpmn:startEvent id="start"/>', (
        '<bpmn:startEvent id="start"><bpmn:extensionElements><spiffworkflow:properties>'
        f'<spiffworkflow:property name="{name}" value="{value}"/></spiffworkflow:properties>'
        '</bpmn:extensionElements></bpmn:startEvent>').encode(), 1)
