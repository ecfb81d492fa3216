"""Deploy-time loading: hardened parse, XSD validation, full spec resolution and platform checks.

Everything a running instance could trip over is checked here, once, with the file, element id and reason:
XML safety, schema, unknown/unsupported elements, missing flow targets, duplicate process ids, call-activity
resolution, scripts that do not compile under the sandbox, services that are not registered, and user tasks
whose lane maps to no role or whose form does not exist.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from adapters.engine.errors import DeploymentError, ScriptPolicyError
from adapters.engine.expressions import code_items
from adapters.engine.sandbox import compile_expression, compile_script
from adapters.engine.serializer import SpecBundle
from adapters.engine.user_tasks import UserTaskSpecInfo, describe_user_task, is_user_task
from adapters.engine.xmlsafe import parse_untrusted_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DMN_PREFIX = "https://www.omg.org/spec/DMN/"
DMN_PREFIXES = (DMN_PREFIX, "http://www.omg.org/spec/DMN/")


@dataclass(frozen=True)
class DeploymentRules:
    """What the platform knows at deploy time: roles (by lane name), forms and services."""

    lane_roles: Mapping[str, str]
    form_text: Callable[[str], str | None]
    services: Collection[str]


@dataclass(frozen=True)
class LoadedProcess:
    """One executable process ready to become a version."""

    key: str
    name: str
    bundle: SpecBundle
    files: dict[str, bytes]
    forms: dict[str, str]
    user_tasks: list[UserTaskSpecInfo] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode() + b"\0" + self.files[name] + b"\0")
        for key in sorted(self.forms):
            digest.update(key.encode() + b"\0" + self.forms[key].encode() + b"\0")
        return digest.hexdigest()


def load_processes(files: Mapping[str, bytes], rules: DeploymentRules) -> list[LoadedProcess]:
    """Parse and check a set of BPMN/DMN files; every executable process in them is returned."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    dmn_files = {}
    for filename, data in files.items():
        root = parse_untrusted_xml(data, filename)
        if any(root.tag.startswith("{" + p) for p in DMN_PREFIXES):
            _call(filename, functools.partial(parser.add_dmn_xml, root, filename=filename))
            dmn_files[filename] = data
        elif root.tag == f"{{{BPMN_NS}}}definitions":
            _call(filename, functools.partial(parser.add_bpmn_xml, root, filename=filename))
        else:
            raise DeploymentError(f"not a BPMN or DMN document (root element {root.tag})", file=filename)
    loaded = []
    for key in _executable_ids(parser):
        loaded.append(_load_one(parser, key, files, dmn_files, rules))
    if not loaded:
        raise DeploymentError("no executable process (isExecutable=\"true\") found", file=", ".join(files))
    return loaded


MAX_ID = 100  # ids become keys of process versions and human tasks (varchar(100))


def _executable_ids(parser: SpiffBpmnParser) -> list[str]:
    ids = []
    for pid in parser.get_process_ids():
        node = parser.get_process_parser(pid).node
        if node.get("isExecutable", "false").lower() != "true":
            continue
        if not pid:
            raise DeploymentError("an executable process has no id", file=parser.get_process_parser(pid).filename)
        ids.append(pid)
    return ids


def _check_ids(process_spec: Any) -> None:
    file = getattr(process_spec, "file", "") or ""
    if len(process_spec.name) > MAX_ID:
        raise DeploymentError(f"the process id is longer than {MAX_ID} characters", file=file)
    for ts in process_spec.task_specs.values():
        if ts.bpmn_id and len(ts.bpmn_id) > MAX_ID:
            raise DeploymentError(f"element id is longer than {MAX_ID} characters", file=file,
                                  element=ts.bpmn_id[:40] + "…")


def _load_one(parser: SpiffBpmnParser, key: str, files: Mapping[str, bytes],
              dmn_files: Mapping[str, bytes], rules: DeploymentRules) -> LoadedProcess:
    own_file = parser.get_process_parser(key).filename or ""
    spec = _call(own_file, lambda: parser.get_spec(key))
    subs = _call(own_file, lambda: parser.get_subprocess_specs(key))
    needed = {own_file} | {s.file for s in subs.values() if s.file}
    all_specs = [spec, *subs.values()]
    if any(hasattr(ts, "dmnEngine") for s in all_specs for ts in s.task_specs.values()):
        needed |= set(dmn_files)
    user_tasks, forms = [], {}
    for process_spec in all_specs:
        _check_ids(process_spec)
        _check_code(process_spec)
        _check_services(process_spec, rules)
        for info in _user_tasks(process_spec):
            forms.update(_check_user_task(process_spec.file or own_file, info, rules))
            user_tasks.append(info)
    return LoadedProcess(
        key=key, name=(spec.description or key)[:200], bundle=SpecBundle(spec, subs),
        files={name: files[name] for name in sorted(needed)}, forms=forms, user_tasks=user_tasks,
    )


def _user_tasks(process_spec: object) -> list[UserTaskSpecInfo]:
    specs = getattr(process_spec, "task_specs", {}).values()
    return [describe_user_task(ts) for ts in specs if is_user_task(ts)]


def _check_user_task(file: str, info: UserTaskSpecInfo, rules: DeploymentRules) -> dict[str, str]:
    if not info.lane:
        raise DeploymentError("user task is not in a named lane, so nobody could be assigned it",
                              file=file, element=info.bpmn_id)
    if info.lane not in rules.lane_roles:
        known = ", ".join(sorted(rules.lane_roles)) or "none"
        raise DeploymentError(f"lane '{info.lane}' maps to no role (known: {known})",
                              file=file, element=info.bpmn_id)
    if info.form_key and len(info.form_key) > MAX_ID:
        raise DeploymentError(f"form key is longer than {MAX_ID} characters", file=file, element=info.bpmn_id)
    if not info.form_key:
        raise DeploymentError("user task names no form (spiffworkflow property 'formKey')",
                              file=file, element=info.bpmn_id)
    try:
        text = rules.form_text(info.form_key)
    except Exception as err:  # a broken form definition names its own file and field
        raise DeploymentError(f"form '{info.form_key}' is invalid: {err}", file=file, element=info.bpmn_id) from err
    if text is None:
        raise DeploymentError(f"form '{info.form_key}' does not exist in forms/", file=file, element=info.bpmn_id)
    return {info.form_key: text}


def _check_code(process_spec: object) -> None:
    file = getattr(process_spec, "file", "") or ""
    for item in code_items(process_spec):
        compiler = compile_script if item.kind == "script" else compile_expression
        try:
            compiler(item.text)
        except ScriptPolicyError as err:
            raise DeploymentError(f"{item.what} is refused by the sandbox: {err}", file=file,
                                  element=item.element) from err
        except SyntaxError as err:
            raise DeploymentError(f"{item.what} does not compile: {err.msg}", file=file,
                                  element=item.element) from err


def _check_services(process_spec: object, rules: DeploymentRules) -> None:
    for ts in getattr(process_spec, "task_specs", {}).values():
        name = getattr(ts, "operation_name", None)
        if name is not None and name not in rules.services:
            raise DeploymentError(f"service '{name}' is not registered (known: {', '.join(sorted(rules.services))})",
                                  file=getattr(process_spec, "file", "") or "", element=ts.bpmn_id or ts.name)


def _call(filename: str, fn: Callable[[], Any]) -> Any:
    """Run a parser step and turn its exceptions into DeploymentError naming file and element."""
    try:
        return fn()
    except ValidationException as err:
        element = err.id or ""
        tag = f" <{err.tag}>" if err.tag else ""
        line = err.line_number if isinstance(err.line_number, int) else None
        message = str(err).split("\nSource Details")[0].strip() or type(err).__name__
        raise DeploymentError(f"{message}{tag}", file=err.file_name or filename, element=element,
                              line=line) from err
    except etree.LxmlError as err:
        raise DeploymentError(f"XML error: {err}", file=filename) from err
    except DeploymentError:
        raise
    except Exception as err:  # the parser raises assorted errors for malformed diagrams
        raise DeploymentError(f"{type(err).__name__}: {err}", file=filename) from err
