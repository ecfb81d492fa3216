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


def form_detail(platform: Platform, actor: Actor, key: str) -> dict[str, Any]:
    """The definition the owner would edit: their draft's copy, else the latest deployed copy, else forms/."""
    require_owner(actor)
    _check_key(key)
    with platform.reader() as uow:
        repo = ModelerRepository(uow.session)
        drafts = [d for d in repo.drafts_of_user(actor.user_id) if key in (d.forms or {})]
        pinned = repo.versions_pinning_form(key)
        text = (drafts[0].forms[key] if drafts else pinned[0].forms[key] if pinned else platform.form_source(key))
        used_by = sorted({v.process_key for v in pinned}
                         | {d.process_key for d in repo.drafts_of_user(actor.user_id) if _uses(d.xml, key)})
    if text is None:
        raise NotFound(f"表单 {key} 不存在")
    return {"key": key, "definition": json.loads(text), "used_by": used_by, "in_draft": bool(drafts)}


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


def save_form(platform: Platform, actor: Actor, key: str, definition: Any) -> list[str]:
    """Store the definition in the owner's drafts that use it (or all their drafts, or drafts opened for the
    processes that pin it); returns the process keys of those drafts."""
    require_owner(actor)
    _check_key(key)
    parsed, problems = check_definition(key, definition)
    if parsed is None or problems:
        raise InvalidData({p["field"]: p["message"] for p in problems}, "表单定义有误")
    text = json.dumps(definition, ensure_ascii=False, indent=2) + "\n"
    with platform.reader() as uow:
        repo = ModelerRepository(uow.session)
        mine = list(repo.drafts_of_user(actor.user_id))
        targets = [d.process_key for d in mine if _uses(d.xml, key)] or [d.process_key for d in mine]
        if not targets:
            targets = [v.process_key for v in repo.versions_pinning_form(key)]
    if not targets:
        raise InvalidData({"key": "请先在设计器中打开一个流程草稿，再为它新建表单"}, "没有可保存到的流程草稿")
    for process_key in targets:
        if process_key not in {d.process_key for d in mine}:
            draft_service.open_draft(platform, actor, process_key)
    with platform.uow() as uow:
        repo = ModelerRepository(uow.session)
        for process_key in targets:
            draft = repo.draft_of(process_key, actor.user_id)
            assert draft is not None
            _store(draft, key, text, platform)
        uow.audit.record("form.draft_save", user_id=actor.user_id, username=actor.username, entity="form",
                         entity_id=key, detail={"drafts": targets, "fields": [f.name for f in parsed.fields]})
        uow.commit()
    return targets


def _store(draft: ProcessDraft, key: str, text: str, platform: Platform) -> None:
    forms = dict(draft.forms or {})
    forms[key] = text
    draft.forms = forms  # a new dict, so the JSON column is written
    draft.updated_at = platform.now()
