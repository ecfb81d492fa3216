"""Element-by-element checks of a BPMN document for the modeler: every problem found, not just the first.

The deploy loader (``loader.load_processes``) stops at the first error; a person editing a diagram needs all of
them at once, each anchored to its element with a Chinese message that says what to do.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

from lxml import etree

from adapters.engine.bounds import MAX_CALL_DEPTH, MAX_CARDINALITY, MAX_LOOP, constant_cycle_problem
from adapters.engine.errors import ScriptPolicyError
from adapters.engine.sandbox import compile_expression, compile_script

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}
# Elements SpiffWorkflow 3.2 cannot run, or that our platform does not offer, by local name.
UNSUPPORTED = {
    "complexGateway": "复杂网关（complexGateway）引擎不支持，请改用排他网关或并行网关",
    "adHocSubProcess": "自由子流程（adHocSubProcess）引擎不支持，请改用普通子流程",
    "choreographyTask": "编排任务不受支持，请删除",
    "subChoreography": "编排子流程不受支持，请删除",
    "callChoreography": "编排调用不受支持，请删除",
    "conversation": "会话元素不受支持，请删除",
    "compensateEventDefinition": "补偿事件本平台不提供，请删除",
}
FLOW_NODES = ("task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask", "receiveTask",
              "businessRuleTask", "callActivity", "subProcess", "transaction", "startEvent", "endEvent",
              "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway",
              "parallelGateway", "inclusiveGateway", "eventBasedGateway")


@dataclass(frozen=True)
class Finding:
    element_id: str | None
    code: str
    message: str
    severity: str = "error"


@dataclass(frozen=True)
class CheckContext:
    """What the platform knows: lane names → roles, forms, operators with their parameters, deployed processes."""

    lane_roles: Mapping[str, str]
    form_problem: Callable[[str], str | None]  # None when the form exists and is valid, else a Chinese reason
    operators: Mapping[str, Collection[str]]  # operator name → its required parameter names
    called_processes: Callable[[str], Collection[str] | None]  # deployed key → keys it calls; None if unknown
    functions: Collection[str] = ()
    local: dict[str, list[str]] = field(default_factory=dict)


def local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def check_document(root: etree._Element, ctx: CheckContext) -> list[Finding]:
    """Every problem of one BPMN definitions element."""
    findings: list[Finding] = []
    processes = root.findall(f"{{{BPMN}}}process")
    if not any(p.get("isExecutable", "false").lower() == "true" for p in processes):
        findings.append(Finding(None, "no_executable", "图中没有可执行的流程：请在流程属性中勾选“可执行”"))
    calls = {p.get("id", ""): [c.get("calledElement", "") for c in p.iter(f"{{{BPMN}}}callActivity")]
             for p in processes}
    for process in processes:
        findings.extend(_check_process(process, ctx, calls))
    return findings


def _check_process(process: etree._Element, ctx: CheckContext, calls: Mapping[str, list[str]]) -> Iterator[Finding]:
    lanes = _lanes_by_node(process)
    ids = {n.get("id") for n in process.iter() if isinstance(n.tag, str) and n.get("id")}
    for node in process.iter():
        name = local(node)
        if not name or etree.QName(node).namespace not in (BPMN, SPIFF):
            continue
        element = _owner_id(node)
        if name in UNSUPPORTED:
            yield Finding(element, "unsupported_element", UNSUPPORTED[name])
        elif name == "sequenceFlow":
            yield from _check_flow(node, ids)
        elif name in ("userTask", "manualTask"):
            yield from _check_user_task(node, lanes.get(node.get("id", "")), ctx)
        elif name == "serviceTask":
            yield from _check_service(node, ctx)
        elif name == "callActivity":
            yield from _check_call(node, process.get("id", ""), ctx, calls)
        elif name == "multiInstanceLoopCharacteristics":
            yield from _check_multi_instance(node, element)
        elif name == "standardLoopCharacteristics":
            yield from _check_loop(node, element)
        yield from _check_code(node, name, element, ctx.functions)
        if name == "timeCycle" and (problem := constant_cycle_problem(node.text or "")):
            yield Finding(element, "timer_cycle_unbounded", problem)
        if name in FLOW_NODES and not (node.get("name") or "").strip() and name not in ("startEvent", "endEvent") \
                and not name.endswith("Gateway"):
            yield Finding(node.get("id"), "no_label", "此步骤没有名称：请填写一个让办理人看得懂的名称", "warning")


def _owner_id(node: etree._Element) -> str | None:
    """The id of the nearest flow element (a condition belongs to its flow, a script to its task)."""
    current: etree._Element | None = node
    while current is not None:
        if current.get("id") and current.tag.startswith(f"{{{BPMN}}}"):
            return current.get("id")
        current = current.getparent()
    return None


def _lanes_by_node(process: etree._Element) -> dict[str, str]:
    result = {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            result[(ref.text or "").strip()] = lane.get("name", "")
    return result


def _props(node: etree._Element) -> dict[str, str]:
    return {p.get("name", ""): p.get("value", "")
            for p in node.findall("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", NS)}


def _check_flow(node: etree._Element, ids: Collection[str | None]) -> Iterator[Finding]:
    for attr, what in (("sourceRef", "起点"), ("targetRef", "终点")):
        if node.get(attr) not in ids:
            yield Finding(node.get("id"), "dangling_flow", f"连线的{what}不存在：请把连线两端都接到步骤上")


def _check_user_task(node: etree._Element, lane: str | None, ctx: CheckContext) -> Iterator[Finding]:
    element = node.get("id")
    if not lane:
        yield Finding(element, "no_lane", "此用户任务不在任何泳道中：请把它拖进一个泳道（泳道名即办理角色）")
    elif lane not in ctx.lane_roles:
        known = "、".join(sorted(ctx.lane_roles))
        yield Finding(element, "lane_without_role", f"泳道“{lane}”没有对应的角色：请把泳道改名为以下之一：{known}")
    form_key = _props(node).get("formKey", "").strip()
    if not form_key:
        yield Finding(element, "no_form", "此用户任务没有表单：请在属性面板中选择一个表单")
    else:
        problem = ctx.form_problem(form_key)
        if problem:
            yield Finding(element, "form_missing", problem)


def _check_service(node: etree._Element, ctx: CheckContext) -> Iterator[Finding]:
    element = node.get("id")
    operator = node.find("bpmn:extensionElements/spiffworkflow:serviceTaskOperator", NS)
    if operator is None or not operator.get("id"):
        yield Finding(element, "no_operator", "此服务任务没有选择要调用的服务：请在属性面板中选择")
        return
    name = operator.get("id", "")
    if name not in ctx.operators:
        yield Finding(element, "operator_unknown", f"服务“{name}”未注册：请从列表中选择一个已有的服务")
        return
    given = {p.get("id") for p in operator.findall("spiffworkflow:parameters/spiffworkflow:parameter", NS)}
    for missing in sorted(set(ctx.operators[name]) - given):
        yield Finding(element, "operator_parameter_missing", f"服务“{name}”缺少参数“{missing}”：请在属性面板中填写")


def _check_call(node: etree._Element, own: str, ctx: CheckContext, calls: Mapping[str, list[str]]) -> Iterator[Finding]:
    element, called = node.get("id"), node.get("calledElement", "").strip()
    if not called:
        yield Finding(element, "call_target_missing", "调用活动没有选择被调用的流程：请在属性面板中选择")
        return
    if called not in calls and ctx.called_processes(called) is None:
        yield Finding(element, "call_target_unknown", f"被调用的流程“{called}”尚未部署：请先部署它，或选择已部署的流程")
        return
    depth = _call_depth(called, own, ctx, calls, 1)
    if depth is None:
        yield Finding(element, "call_cycle", f"流程“{called}”又调用回本流程，会无限递归：请去掉循环调用")
    elif depth > MAX_CALL_DEPTH:
        yield Finding(element, "call_too_deep",
                      f"调用层级达到 {depth} 层，超过上限 {MAX_CALL_DEPTH} 层：请减少嵌套调用")


def _call_depth(key: str, own: str, ctx: CheckContext, calls: Mapping[str, list[str]], depth: int,
                seen: frozenset[str] = frozenset()) -> int | None:
    if key == own or key in seen:
        return None
    children = calls.get(key)
    if children is None:
        children = list(ctx.called_processes(key) or ())
    deepest = depth
    for child in children:
        below = _call_depth(child, own, ctx, calls, depth + 1, seen | {key})
        if below is None:
            return None
        deepest = max(deepest, below)
    return deepest


def _check_multi_instance(node: etree._Element, element: str | None) -> Iterator[Finding]:
    cardinality = node.find("bpmn:loopCardinality", NS)
    collection = node.get("collection") or node.find("bpmn:loopDataInputRef", NS) is not None
    text = (cardinality.text or "").strip() if cardinality is not None else ""
    if not text and not collection:
        yield Finding(element, "multi_instance_unbounded", "多实例步骤既没有份数也没有数据集合：请设置份数或输入集合")
    elif text.isdigit() and int(text) > MAX_CARDINALITY:
        yield Finding(element, "multi_instance_unbounded", f"多实例份数 {text} 超过上限 {MAX_CARDINALITY}：请减小")


def _check_loop(node: etree._Element, element: str | None) -> Iterator[Finding]:
    maximum = node.get("loopMaximum", "").strip()
    if not maximum.isdigit():
        yield Finding(element, "loop_unbounded", "循环步骤没有最大次数：请设置“最大循环次数”（例如 10）")
    elif int(maximum) > MAX_LOOP:
        yield Finding(element, "loop_unbounded", f"最大循环次数 {maximum} 超过上限 {MAX_LOOP}：请减小")


_EXPRESSION_TAGS = {"conditionExpression": "条件", "timeDuration": "定时时长", "timeDate": "定时日期",
                    "timeCycle": "定时周期", "loopCardinality": "份数", "completionCondition": "完成条件",
                    "condition": "循环条件"}
_SCRIPT_TAGS = {"script": "脚本", "preScript": "前置脚本", "postScript": "后置脚本"}


def _check_code(node: etree._Element, name: str, element: str | None,
                functions: Collection[str]) -> Iterator[Finding]:
    text = (node.text or "").strip()
    code: tuple[str, str, Callable[[str], object]] | None = None
    if name in _SCRIPT_TAGS and text:
        code = (_SCRIPT_TAGS[name], text, compile_script)
    elif name in _EXPRESSION_TAGS and text:
        code = (_EXPRESSION_TAGS[name], text, compile_expression)
    elif name == "property" and node.tag == f"{{{SPIFF}}}property":
        label = {"dueDate": "办理期限", "candidateOrganisation": "办理单位"}.get(node.get("name", ""))
        value = (node.get("value") or "").strip()
        if label and value:
            code = (label, value, compile_expression)
    elif name == "parameter" and node.tag == f"{{{SPIFF}}}parameter" and (node.get("value") or "").strip():
        code = (f"参数“{node.get('id', '')}”", (node.get("value") or "").strip(), compile_expression)
    if code is not None:
        yield from _compile(element, *code, functions)


SAFE_BUILTINS = frozenset({"len", "str", "int", "float", "bool", "min", "max", "sum", "sorted", "range", "list",
                           "dict", "set", "tuple", "abs", "round", "any", "all", "enumerate", "zip", "isinstance",
                           "reversed", "divmod", "map", "filter"})


def _compile(element: str | None, what: str, text: str, compiler: Callable[[str], object],
             functions: Collection[str]) -> Iterator[Finding]:
    try:
        compiler(text)
    except ScriptPolicyError as err:
        code = "code_syntax" if "SyntaxError" in str(err) else "code_refused"
        yield Finding(element, code, f"{what}无法通过检查：{_chinese(str(err))}")
        return
    except SyntaxError as err:
        yield Finding(element, "code_syntax", f"{what}第 {err.lineno or 1} 行有语法错误：请检查括号、引号和缩进")
        return
    unknown = sorted(_called_names(text) - set(functions) - SAFE_BUILTINS)
    if unknown and functions:
        yield Finding(element, "unknown_function", f"{what}调用了未知的函数 {'、'.join(unknown)}：可用的函数有 "
                                                   f"{'、'.join(sorted(functions))}", "warning")


def _called_names(text: str) -> set[str]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return set()
    return {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


_PATTERNS = (
    (re.compile(r"Line (\d+): import is not allowed"), "第 {0} 行导入了模块：流程脚本不能导入模块，请只用白名单函数"),
    (re.compile(r"Line (\d+): try/except is not allowed"), "第 {0} 行用了 try/except：出错应成为异常单，请去掉"),
    (re.compile(r"Line (\d+): '([^']+)' is not available"), "第 {0} 行的“{1}”在流程脚本中不可用，请删除"),
    (re.compile(r"Line (\d+): SyntaxError"), "第 {0} 行有语法错误：请检查括号、引号和缩进"),
    (re.compile(r"Line (\d+): .*invalid variable name because it starts with \"_\""),
     "第 {0} 行使用了以下划线开头的名字：流程脚本不允许，请改名"),
    (re.compile(r"Line (\d+): .*"), "第 {0} 行的写法不被允许：只能使用简单的赋值、条件和白名单函数"),
    (re.compile(r"script is (\d+) characters"), "脚本有 {0} 个字符，超过上限：请拆分或简化"),
)


def _chinese(message: str) -> str:
    for pattern, template in _PATTERNS:
        found = pattern.search(message)
        if found:
            return template.format(*found.groups())
    return "写法不被允许：只能使用简单的赋值、条件和白名单函数"
