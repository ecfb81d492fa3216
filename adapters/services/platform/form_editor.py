"""The form editor's use cases: read a form, check a definition for the live preview, save it into drafts.

A saved form is part of the owner's process draft(s); it is pinned with the next version deployed from them, so
running instances keep showing the form they started with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from adapters.services.platform import Platform, choice_sources
from adapters.services.platform import drafts as draft_service
from adapters.services.platform.actors import Actor
from adapters.services.platform.drafts import require_owner
from adapters.services.platform.errors import InvalidData, NotFound
from forms.definition import FORM_KEY, FormDefinition, parse_form
from forms.errors import FormDefinitionError
from storage.models_modeler import ProcessDraft
from storage.repositories.modeler import ModelerRepository

_FIELD_PATH = re.compile(r"fields\[(\d+)\](?:\.columns\[(\d+)\])?")


def _check_key(key: str) -> None:
    if not FORM_KEY.fullmatch(key):
        raise NotFound(f"表单 {key} 不存在")


def _uses(xml: str, key: str) -> bool:
    return f'name="formKey" value="{key}"' in xml


def _processes_using(repo: ModelerRepository, uow: Any, user_id: int, key: str) -> list[str]:
    """The processes whose form this is: the owner's drafts that name it, and the latest deployed version of each
    process that names or pins it (a version deployed from bpmn/ names it without pinning a copy)."""
    drafts = {d.process_key for d in repo.drafts_of_user(user_id) if _uses(d.xml, key)}
    deployed = {v.process_key for v in uow.processes.latest_of_each()
                if key in (v.forms or {}) or any(_uses(x, key) for x in (v.files or {}).values())}
    return sorted(drafts | deployed)


def form_detail(platform: Platform, actor: Actor, key: str) -> dict[str, Any]:
    """The definition the owner would edit: their draft's copy, else the latest deployed copy, else forms/; with
    the processes that use it and every process it could be saved into."""
    require_owner(actor)
    _check_key(key)
    with platform.reader() as uow:
        repo = ModelerRepository(uow.session)
        drafts = [d for d in repo.drafts_of_user(actor.user_id) if key in (d.forms or {})]
        pinned = repo.versions_pinning_form(key)
        text = (drafts[0].forms[key] if drafts else pinned[0].forms[key] if pinned else platform.form_source(key))
        used_by = _processes_using(repo, uow, actor.user_id, key)
        processes = [{"key": v.process_key, "name": v.name} for v in uow.processes.latest_of_each()]
    if text is None:
        raise NotFound(f"表单 {key} 不存在")
    return {"key": key, "definition": json.loads(text), "used_by": used_by, "in_draft": bool(drafts),
            "processes": sorted(processes, key=lambda p: p["key"])}


def _field_name(definition: Mapping[str, Any], path: str) -> str:
    """The field a definition error is about ("fields[2].columns[0]" → the column's name)."""
    found = _FIELD_PATH.match(path or "")
    if not found:
        return path or "_form"
    fields: list[Any] = definition.get("fields") or []
    try:
        item = fields[int(found.group(1))]
        if found.group(2) is not None:
            item = item["columns"][int(found.group(2))]
        return str(item.get("name") or path)
    except (IndexError, KeyError, TypeError, AttributeError):
        return path


def check_definition(key: str, definition: Any) -> tuple[FormDefinition | None, list[dict[str, str]]]:
    """Parse a definition as the loader will; problems name the field and what is wrong."""
    if not isinstance(definition, dict):
        return None, [{"field": "_form", "message": "表单定义必须是一个 JSON 对象"}]
    try:
        parsed = parse_form(definition, f"forms/{key}.json")
    except FormDefinitionError as err:
        return None, [{"field": _field_name(definition, err.path), "message": f"表单定义有误：{err.message}"}]
    problems = []
    if parsed.key != key:
        problems.append({"field": "key", "message": f"表单编号应为“{key}”"})
    for source in choice_sources.unknown_sources(parsed):
        problems.append({"field": "choices_from", "message": f"选项来源“{source}”不存在：请从可用来源中选择"})
    return parsed, problems


def preview(platform: Platform, actor: Actor, definition: Any) -> tuple[FormDefinition | None, list[dict[str, str]]]:
    """The parsed definition with live choices filled in for the actor's organisation, and its problems."""
    require_owner(actor)
    key = definition.get("key") if isinstance(definition, dict) else None
    parsed, problems = check_definition(str(key or "preview"), definition)
    if parsed is None:
        return None, problems
    with platform.reader() as uow:
        return choice_sources.resolve(uow, parsed, actor.organisation_id or None), problems


def _target(platform: Platform, actor: Actor, key: str, process_key: str | None) -> str:
    """The process whose draft receives the form: the one named, else the only one using it; none or several
    → the owner is asked to choose (field "process")."""
    with platform.reader() as uow:
        known = {v.process_key for v in uow.processes.latest_of_each()}
        repo = ModelerRepository(uow.session)
        known |= {d.process_key for d in repo.drafts_of_user(actor.user_id)}
        using = _processes_using(repo, uow, actor.user_id, key)
    if process_key:
        if process_key not in known:
            raise InvalidData({"process": f"流程“{process_key}”不存在：请从列表中选择"}, "无法保存表单")
        return process_key
    if len(using) == 1:
        return using[0]
    if using:
        raise InvalidData({"process": f"该表单被多个流程使用（{'、'.join(using)}）：请选择保存到哪个流程的草稿"},
                          "请选择流程")
    raise InvalidData({"process": "还没有流程使用该表单：请选择保存到哪个流程的草稿"}, "请选择流程")


def save_form(platform: Platform, actor: Actor, key: str, definition: Any, process_key: str | None = None) -> list[str]:
    """Store the definition in the owner's draft of the process that uses it (opening the draft from the latest
    version when they have none); returns the process key as a one-element list."""
    require_owner(actor)
    _check_key(key)
    parsed, problems = check_definition(key, definition)
    if parsed is None or problems:
        raise InvalidData({p["field"]: p["message"] for p in problems}, "表单定义有误")
    text = json.dumps(definition, ensure_ascii=False, indent=2) + "\n"
    target = _target(platform, actor, key, process_key)
    draft_service.open_draft(platform, actor, target)  # the existing draft, or a new one from the latest version
    with platform.uow() as uow:
        repo = ModelerRepository(uow.session)
        draft = repo.draft_of(target, actor.user_id)
        assert draft is not None
        previous = json.loads(draft.forms[key]) if key in (draft.forms or {}) else None
        _store(draft, key, text, platform)
        uow.audit.record("form.draft_save", user_id=actor.user_id, username=actor.username, entity="form",
                         entity_id=key, detail={"drafts": [target], "fields": [f.name for f in parsed.fields],
                                                "summary": _summary(previous, definition)})
        uow.commit()
    return [target]


def _summary(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> str:
    """Which fields were added, removed or changed, in words (for the audit log)."""
    old = {f.get("name"): f for f in (before or {}).get("fields") or [] if isinstance(f, dict)}
    new = {f.get("name"): f for f in after.get("fields") or [] if isinstance(f, dict)}
    parts = []
    if added := [n for n in new if n not in old]:
        parts.append("新增字段 " + "、".join(map(str, added)))
    if removed := [n for n in old if n not in new]:
        parts.append("删除字段 " + "、".join(map(str, removed)))
    if changed := [n for n in new if n in old and new[n] != old[n]]:
        parts.append("修改字段 " + "、".join(map(str, changed)))
    return "；".join(parts) or ("首次保存到草稿" if before is None else "无字段变化")


def _store(draft: ProcessDraft, key: str, text: str, platform: Platform) -> None:
    forms = dict(draft.forms or {})
    forms[key] = text
    draft.forms = forms  # a new dict, so the JSON column is written
    draft.updated_at = platform.now()
