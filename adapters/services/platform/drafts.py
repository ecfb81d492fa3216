"""Process owners' drafts: open from the deployed version, save with the full deploy check, deploy as N+1."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from adapters.engine.bpmn_diff import compare
from adapters.engine.errors import DeploymentError
from adapters.engine.xmlsafe import MAX_FILE_BYTES, parse_untrusted_xml
from adapters.services.platform import Platform, deploy, validation
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, Forbidden, NotFound, ServiceError
from adapters.services.platform.setup import PROCESS_OWNER
from adapters.services.platform.validation import Problem
from storage.models import ProcessVersion
from storage.models_modeler import ProcessDraft
from storage.repositories.modeler import ModelerRepository
from storage.uow import UnitOfWork

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
PROCESS_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")


class ProblemsFound(ServiceError):
    """The diagram has errors; ``problems`` says which element and what to do."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(message)


@dataclass(frozen=True)
class DraftView:
    id: int
    process_key: str
    xml: str
    base_version: int | None
    latest_version: int | None
    updated_at: dt.datetime
    forms: dict[str, Any]

    @property
    def stale(self) -> bool:
        """The deployed version moved on since the draft was opened."""
        return self.latest_version is not None and self.base_version != self.latest_version

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "process_key": self.process_key, "xml": self.xml, "base_version": self.base_version,
                "latest_version": self.latest_version, "stale": self.stale,
                "updated_at": self.updated_at.isoformat(), "forms": sorted(self.forms)}


def require_owner(actor: Actor) -> None:
    if not (actor.is_admin or actor.has_role(PROCESS_OWNER)):
        raise Forbidden("只有流程管理员可以设计和部署流程")


def own_file(version: ProcessVersion) -> tuple[str, str]:
    """(file name, XML) of the file that defines the version's own process (versions also pin called ones)."""
    for name, text in sorted(version.files.items()):
        if f'id="{version.process_key}"' in str(text):
            root = parse_untrusted_xml(str(text).encode("utf-8"), name)
            if any(p.get("id") == version.process_key for p in root.iter(f"{BPMN}process")):
                return name, str(text)
    name = next(iter(sorted(version.files)))
    return name, str(version.files[name])


def process_key_of(xml: str) -> str:
    """The id of the diagram's (first executable) process."""
    try:
        root = parse_untrusted_xml(xml.encode("utf-8"), "draft.bpmn")
    except DeploymentError as err:
        raise ProblemsFound("文件无法读取", [validation.xml_problem(err)]) from err
    processes = list(root.iter(f"{BPMN}process"))
    executable = [p for p in processes if p.get("isExecutable", "false").lower() == "true"] or processes
    key = executable[0].get("id", "") if executable else ""
    if not PROCESS_KEY.fullmatch(key):
        message = "流程编号必须以字母开头，只含字母、数字、_ . -，不超过 100 个字符"
        raise ProblemsFound("流程编号无效", [Problem(key or None, message, "error", "process_key")])
    return key


def _view(uow: UnitOfWork, draft: ProcessDraft) -> DraftView:
    latest = uow.processes.latest(draft.process_key)
    return DraftView(draft.id, draft.process_key, draft.xml, draft.base_version, latest.version if latest else None,
                     draft.updated_at, dict(draft.forms or {}))


def _mine(uow: UnitOfWork, actor: Actor, draft_id: int) -> ProcessDraft:
    require_owner(actor)
    draft = ModelerRepository(uow.session).draft(draft_id)
    if draft is None or draft.user_id != actor.user_id:
        raise NotFound(f"草稿 {draft_id} 不存在")
    return draft


def list_processes(platform: Platform, actor: Actor) -> list[dict[str, Any]]:
    require_owner(actor)
    with platform.reader() as uow:
        mine = {d.process_key: d for d in ModelerRepository(uow.session).drafts_of_user(actor.user_id)}
        rows = []
        for v in uow.processes.latest_of_each():
            draft = mine.pop(v.process_key, None)
            rows.append({"key": v.process_key, "name": v.name, "latest_version": v.version,
                         "my_draft": {"id": draft.id, "updated_at": draft.updated_at.isoformat()} if draft else None})
        for key, draft in sorted(mine.items()):  # new processes not deployed yet
            rows.append({"key": key, "name": key, "latest_version": None,
                         "my_draft": {"id": draft.id, "updated_at": draft.updated_at.isoformat()}})
        return rows


def open_draft(platform: Platform, actor: Actor, process_key: str) -> DraftView:
    """The actor's draft of a deployed process, opened from its latest version if they have none."""
    require_owner(actor)
    with platform.uow() as uow:
        repo = ModelerRepository(uow.session)
        draft = repo.draft_of(process_key, actor.user_id)
        if draft is None:
            latest = uow.processes.latest(process_key)
            if latest is None:
                raise NotFound(f"流程 {process_key} 尚未部署")
            draft = repo.add_draft(ProcessDraft(process_key=process_key, user_id=actor.user_id,
                                                base_version=latest.version, xml=own_file(latest)[1], forms={},
                                                created_at=platform.now(), updated_at=platform.now()))
            uow.audit.record("process.draft_open", user_id=actor.user_id, username=actor.username,
                             entity="process_draft", entity_id=draft.id,
                             detail={"process_key": process_key, "base_version": latest.version})
            uow.commit()
        return _view(uow, draft)


def new_draft(platform: Platform, actor: Actor, xml: str) -> DraftView:
    """A draft for a process that is not deployed yet; its key is the diagram's process id."""
    require_owner(actor)
    _check_size(xml)
    key = process_key_of(xml)
    with platform.uow() as uow:
        repo = ModelerRepository(uow.session)
        if uow.processes.latest(key) is not None:
            raise Conflict(f"流程 {key} 已经部署过：请在流程列表中打开它的草稿，或改用新的流程编号")
        if repo.draft_of(key, actor.user_id) is not None:
            raise Conflict(f"您已有流程 {key} 的草稿")
        draft = repo.add_draft(ProcessDraft(process_key=key, user_id=actor.user_id, base_version=None, xml=xml,
                                            forms={}, created_at=platform.now(), updated_at=platform.now()))
        uow.audit.record("process.draft_new", user_id=actor.user_id, username=actor.username,
                         entity="process_draft", entity_id=draft.id, detail={"process_key": key})
        uow.commit()
        return _view(uow, draft)


def get_draft(platform: Platform, actor: Actor, draft_id: int) -> DraftView:
    with platform.reader() as uow:
        return _view(uow, _mine(uow, actor, draft_id))


def _check_size(xml: str) -> None:
    if len(xml.encode("utf-8")) > MAX_FILE_BYTES:
        raise ProblemsFound("文件过大", [Problem(None, "流程图超过 2 MB 上限：请拆分流程", "error", "xml")])


def check(platform: Platform, draft: ProcessDraft, xml: str) -> list[Problem]:
    with platform.reader() as uow:
        lookup = validation.form_lookup(platform, dict(draft.forms or {}), _base_forms(uow, draft))
    problems = validation.validate_xml(platform, xml, lookup, filename=f"{draft.process_key}.bpmn")
    try:
        key = process_key_of(xml)
    except ProblemsFound as err:
        return problems or err.problems
    if key != draft.process_key:
        problems.insert(0, Problem(key, f"流程编号被改成了“{key}”：草稿属于流程“{draft.process_key}”，请改回原编号",
                                   "error", "process_key"))
    return problems


def _base_forms(uow: UnitOfWork, draft: ProcessDraft) -> dict[str, str]:
    base = ModelerRepository(uow.session).version(draft.process_key, draft.base_version or 0)
    return dict(base.forms) if base else {}


def save_draft(platform: Platform, actor: Actor, draft_id: int, xml: str) -> tuple[DraftView, list[Problem]]:
    """Save the diagram and run the full deploy check on it (problems do not prevent saving)."""
    _check_size(xml)
    with platform.uow() as uow:
        draft = _mine(uow, actor, draft_id)
        problems = check(platform, draft, xml)
        try:
            summary = compare(draft.xml, xml).summary
        except DeploymentError:
            summary = {"unreadable": True}
        draft.xml, draft.updated_at = xml, platform.now()
        uow.audit.record("process.draft_save", user_id=actor.user_id, username=actor.username,
                         entity="process_draft", entity_id=draft.id,
                         detail={"process_key": draft.process_key, "diff": summary,
                                 "errors": sum(p.severity == "error" for p in problems)})
        uow.commit()
        return _view(uow, draft), problems


def delete_draft(platform: Platform, actor: Actor, draft_id: int) -> None:
    with platform.uow() as uow:
        draft = _mine(uow, actor, draft_id)
        uow.audit.record("process.draft_delete", user_id=actor.user_id, username=actor.username,
                         entity="process_draft", entity_id=draft.id, detail={"process_key": draft.process_key})
        ModelerRepository(uow.session).delete_draft(draft)
        uow.commit()


def deploy_draft(platform: Platform, actor: Actor, draft_id: int, comment: str) -> int:
    """Deploy the draft as the process's next version (its forms pinned with it); the draft is then closed."""
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ProblemsFound("说明过长", [Problem(None, "部署说明不能超过 500 个字", "error", "comment")])
    with platform.reader() as uow:
        draft = _mine(uow, actor, draft_id)
        key, xml, forms, base = draft.process_key, draft.xml, dict(draft.forms or {}), _base_forms(uow, draft)
        previous = uow.processes.latest(key)
        before = own_file(previous)[1] if previous else None
        files = {f"{key}.bpmn": xml.encode("utf-8"),
                 **validation.dependency_files(uow, xml.encode("utf-8"), f"{key}.bpmn")}
    problems = check(platform, draft, xml)
    if validation.has_errors(problems):
        raise ProblemsFound("流程图有错误，不能部署", problems)
    lookup = validation.form_lookup(platform, forms, base)
    try:
        results = deploy.deploy(platform, files, actor.username, comment=comment, form_text=lookup, only={key})
    except ServiceError as err:
        problem = Problem(None, f"部署检查未通过：{err}", "error", "deploy_check")
        raise ProblemsFound("部署检查未通过", [problem]) from err
    [result] = results
    with platform.uow() as uow:
        summary = compare(before, xml).summary if before else {"new_process": True}
        uow.audit.record("process.deploy_draft", user_id=actor.user_id, username=actor.username,
                         entity="process_version", entity_id=result.version_id,
                         detail={"process_key": key, "version": result.version, "changed": result.changed,
                                 "comment": comment, "diff": summary, "forms": sorted(forms)})
        deployed = ModelerRepository(uow.session).draft(draft_id)
        if deployed is not None:
            ModelerRepository(uow.session).delete_draft(deployed)
        uow.commit()
    return result.version
