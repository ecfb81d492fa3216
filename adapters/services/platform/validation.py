"""The server's full deploy check of a diagram, as element-anchored problems with Chinese messages.

First every problem the element checks find (lanes → roles, forms, operators, scripts, loops, calls …); when
none is an error, the deploy loader runs exactly as deployment will (hardened parse, XSD, spec resolution,
sandbox compile), so "no problems" means the draft deploys.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass

from adapters.engine.bpmn_checks import CheckContext, Finding, check_document
from adapters.engine.errors import DeploymentError
from adapters.engine.loader import DeploymentRules, load_processes
from adapters.engine.xmlsafe import parse_untrusted_xml
from adapters.services.platform import Platform
from adapters.services.platform.choice_sources import unknown_sources
from adapters.services.platform.setup import PROCESS_OWNER
from storage.uow import UnitOfWork

FormText = Callable[[str], str | None]
BPMN_ROOT = "{http://www.omg.org/spec/BPMN/20100524/MODEL}definitions"


@dataclass(frozen=True)
class Problem:
    element_id: str | None
    message: str
    severity: str
    code: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _problem(finding: Finding) -> Problem:
    return Problem(finding.element_id, finding.message, finding.severity, finding.code)


def operator_parameters(fn: Callable[..., object]) -> list[dict[str, object]]:
    """Name, type and whether required, for each parameter of a registered service adapter."""
    names = {str: "str", int: "int", bool: "bool", list: "list", "str": "str", "int": "int", "bool": "bool"}
    params = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL) or p.name == "self":
            continue
        annotation = p.annotation
        kind = names.get(annotation, "date" if "date" in str(annotation) else "str")
        params.append({"name": p.name, "type": kind, "required": p.default is p.empty})
    return params


def xml_problem(err: DeploymentError) -> Problem:
    reason = err.reason
    if "DOCTYPE" in reason or "entity" in reason:
        message = "文件含有 DOCTYPE 或实体声明，出于安全原因不允许：请删除"
    elif "UTF-8" in reason:
        message = "文件不是 UTF-8 编码：请用设计器重新保存"
    elif "bytes; the limit" in reason:
        message = "文件超过 2 MB 上限：请拆分流程"
    else:
        line = f"第 {err.line} 行" if err.line else ""
        message = f"文件不是格式正确的 XML（{line}{reason.removeprefix('not well-formed XML: ')}）：请检查标签是否成对"
    return Problem(None, message, "error", "xml")


def form_problem(platform: Platform, form_text: FormText, key: str) -> str | None:
    """None when form ``key`` exists and is valid; otherwise what is wrong, in Chinese."""
    try:
        text = form_text(key)
    except Exception as err:  # a broken definition in forms/ names its own file and field
        return f"表单“{key}”的定义有错误（{err}）：请在表单编辑器中修正"
    if text is None:
        return f"表单“{key}”不存在：请从列表中选择已有表单，或先在表单编辑器中创建它"
    try:
        definition = platform.parse_form(key, text)
    except Exception as err:
        return f"表单“{key}”的定义有错误（{err}）：请在表单编辑器中修正"
    missing = [name for name in getattr(definition, "checks", ()) if name not in platform.submit_checks]
    if missing:
        return f"表单“{key}”要求的提交检查 {'、'.join(missing)} 未注册：请删除这些检查"
    sources = unknown_sources(definition)
    if sources:
        return f"表单“{key}”的选项来源 {'、'.join(sources)} 不存在：请从可用来源中选择"
    return None


def check_context(platform: Platform, uow: UnitOfWork, form_text: FormText) -> CheckContext:
    lanes = {lane: role for lane, role in platform.lane_roles(uow).items() if role != PROCESS_OWNER}
    operators = {name: [str(p["name"]) for p in operator_parameters(fn) if p["required"]]
                 for name, fn in platform.runtime.services.items()}

    def called(key: str) -> list[str] | None:
        version = uow.processes.latest(key)
        if version is None:
            return None
        bundle = platform.runtime.bundle(version.id, lambda: uow.processes.spec_json(version.id))
        return sorted(bundle.subprocess_specs)

    return CheckContext(lane_roles=lanes, form_problem=lambda key: form_problem(platform, form_text, key),
                        operators=operators, called_processes=called,
                        functions=sorted(platform.runtime.function_names))


def dependency_files(uow: UnitOfWork, xml: bytes, own_name: str) -> dict[str, bytes]:
    """Files of the deployed processes a diagram calls (their latest versions), so the loader can resolve them."""
    root = parse_untrusted_xml(xml, own_name)
    own = {p.get("id") for p in root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}process")}
    files: dict[str, bytes] = {}
    pending = [c.get("calledElement", "") for c in root.iter(
        "{http://www.omg.org/spec/BPMN/20100524/MODEL}callActivity")]
    seen: set[str] = set()
    while pending:
        key = pending.pop()
        if not key or key in own or key in seen:
            continue
        seen.add(key)
        version = uow.processes.latest(key)
        if version is None:
            continue
        for name, text in version.files.items():
            if name != own_name and name not in files:
                files[name] = str(text).encode("utf-8")
    return files


def validate_xml(platform: Platform, xml: str, form_text: FormText, *, filename: str = "draft.bpmn") -> list[Problem]:
    """Every problem of a diagram; an empty list (or only warnings) means it deploys."""
    data = xml.encode("utf-8")
    try:
        root = parse_untrusted_xml(data, filename)
    except DeploymentError as err:
        return [xml_problem(err)]
    if root.tag != BPMN_ROOT:
        message = "这不是 BPMN 流程图（根元素不是 bpmn:definitions）：请上传 .bpmn 文件"
        return [Problem(None, message, "error", "not_bpmn")]
    with platform.reader() as uow:
        problems = [_problem(f) for f in check_document(root, check_context(platform, uow, form_text))]
        if any(p.severity == "error" for p in problems):
            return problems
        files = {filename: data, **dependency_files(uow, data, filename)}
        rules = DeploymentRules(lane_roles=platform.lane_roles(uow), form_text=form_text,
                                services=list(platform.runtime.services))
    try:
        load_processes(files, rules)
    except DeploymentError as err:
        problems.append(Problem(err.element or None, f"部署检查未通过：{err.reason}", "error", "deploy_check"))
    return problems


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def form_lookup(platform: Platform, *layers: Mapping[str, str]) -> FormText:
    """Form text from the first layer that has it (a draft's edits, the base version's pinned forms), else forms/."""
    def lookup(key: str) -> str | None:
        for layer in layers:
            if key in layer:
                return str(layer[key])
        return platform.form_source(key)
    return lookup
