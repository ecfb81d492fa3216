"""Version history of a process: who deployed what and why, instances on each, compare, roll back, export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.engine.bpmn_diff import compare
from adapters.services.platform import Platform, deploy
from adapters.services.platform.actors import Actor
from adapters.services.platform.drafts import own_file, require_owner
from adapters.services.platform.errors import NotFound
from storage.models import ProcessVersion
from storage.repositories.modeler import ModelerRepository
from storage.uow import UnitOfWork


def _version(uow: UnitOfWork, key: str, number: int) -> ProcessVersion:
    version = ModelerRepository(uow.session).version(key, number)
    if version is None:
        raise NotFound(f"流程 {key} 没有版本 {number}")
    return version


def history(platform: Platform, actor: Actor, key: str) -> list[dict[str, Any]]:
    require_owner(actor)
    with platform.reader() as uow:
        versions = uow.processes.versions_of(key)
        if not versions:
            raise NotFound(f"流程 {key} 尚未部署")
        running = ModelerRepository(uow.session).running_counts(key)
        return [{"version": v.version, "deployed_by": v.deployed_by, "deployed_at": v.deployed_at.isoformat(),
                 "comment": v.comment or "", "running": running.get(v.id, 0)} for v in versions]


def version_detail(platform: Platform, actor: Actor, key: str, number: int) -> dict[str, Any]:
    require_owner(actor)
    with platform.reader() as uow:
        version = _version(uow, key, number)
        return {"version": version.version, "xml": own_file(version)[1],
                "forms": {k: json.loads(v) for k, v in sorted(version.forms.items())}}


def compare_versions(platform: Platform, actor: Actor, key: str, a: int, b: int) -> dict[str, Any]:
    require_owner(actor)
    with platform.reader() as uow:
        a_xml, b_xml = own_file(_version(uow, key, a))[1], own_file(_version(uow, key, b))[1]
    diff = compare(a_xml, b_xml)
    return {"a_xml": a_xml, "b_xml": b_xml, "added": list(diff.added), "removed": list(diff.removed),
            "changed": [{"element_id": c.element_id, "name": c.name,
                         "changes": [{"property": p, "before": x, "after": y} for p, x, y in c.changes]}
                        for c in diff.changed]}


def rollback(platform: Platform, actor: Actor, key: str, number: int, comment: str = "") -> int:
    """Deploy an old version's diagram and forms again, as the newest version (running instances stay put)."""
    require_owner(actor)
    with platform.reader() as uow:
        old = _version(uow, key, number)
        latest = uow.processes.latest(key)
        files = {name: str(text).encode("utf-8") for name, text in old.files.items()}
        forms = dict(old.forms)
        before = own_file(latest)[1] if latest else ""
    note = (comment or "").strip()[:400] or f"回退到版本 {number}"
    results = deploy.deploy(platform, files, actor.username, comment=note,
                            form_text=lambda k: forms.get(k) or platform.form_source(k), only={key})
    [result] = results
    with platform.uow() as uow:
        uow.audit.record("process.rollback", user_id=actor.user_id, username=actor.username,
                         entity="process_version", entity_id=result.version_id,
                         detail={"process_key": key, "from_version": number, "version": result.version,
                                 "changed": result.changed, "comment": note,
                                 "diff": compare(before, own_file(old)[1]).summary if before else {}})
        uow.commit()
    return result.version


@dataclass(frozen=True)
class Exported:
    path: Path
    what: str


def export(platform: Platform, bpmn_dir: Path, forms_dir: Path,
           chosen: dict[str, int | None] | None = None) -> list[Exported]:
    """Write deployed diagrams (latest, or the chosen versions) and their pinned forms into the repository folders.

    A form pinned by several processes is written from the most recently deployed of them.
    """
    with platform.reader() as uow:
        if chosen:
            versions = [uow.processes.latest(k) if n is None else ModelerRepository(uow.session).version(k, n)
                        for k, n in chosen.items()]
            missing = [k for k, v in zip(chosen, versions, strict=True) if v is None]
            if missing:
                raise NotFound(f"没有这些流程或版本：{', '.join(missing)}")
            full = [v for v in versions if v is not None]
        else:
            full = [uow.processes.get(v.id) for v in uow.processes.latest_of_each()]  # type: ignore[misc]
        items = [(v.process_key, v.version, own_file(v), dict(v.forms), v.deployed_at) for v in full if v]
    written: list[Exported] = []
    forms: dict[str, tuple[Any, str]] = {}
    for key, number, (name, xml), pinned, at in items:
        target = bpmn_dir / Path(name).name
        target.write_text(xml if xml.endswith("\n") else xml + "\n", encoding="utf-8")
        written.append(Exported(target, f"{key} v{number}"))
        for form_key, text in pinned.items():
            if form_key not in forms or forms[form_key][0] < at:
                forms[form_key] = (at, text)
    for form_key, (_at, text) in sorted(forms.items()):
        target = forms_dir / f"{form_key}.json"
        target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        written.append(Exported(target, f"form {form_key}"))
    return written
