"""Deployed processes as users see them: versions, diagram, and who may start a new instance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from adapters.engine.user_tasks import start_lanes, start_page
from adapters.services.platform import Platform, instances
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, InvalidData, NotFound
from adapters.services.platform.history import diagram_of
from storage.models import ProcessVersion
from storage.repositories.history import HistoryQueries
from storage.uow import UnitOfWork

MAX_BUSINESS_KEY = 100
MAX_TITLE = 200


@dataclass(frozen=True)
class VersionInfo:
    id: int
    version: int
    deployed_by: str
    deployed_at: dt.datetime


@dataclass(frozen=True)
class ProcessSummary:
    key: str
    name: str
    latest: VersionInfo
    versions: tuple[VersionInfo, ...]
    starter_roles: tuple[str, ...]  # role names of the lanes that start the process
    may_start: bool
    start_page: str | None = None  # the process's own start page; the generic start form is not offered then


@dataclass(frozen=True)
class ProcessDetail:
    summary: ProcessSummary
    diagram_xml: str


def list_processes(platform: Platform, actor: Actor) -> list[ProcessSummary]:
    """Every deployed process (latest version first in ``versions``) and whether the actor may start it."""
    with platform.reader() as uow:
        return [_summary(platform, uow, actor, v) for v in uow.processes.latest_of_each()]


def process_detail(platform: Platform, actor: Actor, process_key: str) -> ProcessDetail:
    with platform.reader() as uow:
        version = uow.processes.latest(process_key)
        if version is None:
            raise NotFound(f"流程 {process_key} 尚未部署")
        return ProcessDetail(summary=_summary(platform, uow, actor, version), diagram_xml=diagram_of(version))


def start_process(platform: Platform, actor: Actor, process_key: str, *, business_key: str = "",
                  title: str = "") -> int:
    """Start the latest version for the actor's organisation if the actor holds a starting lane's role."""
    business_key, title = business_key.strip(), title.strip()
    errors = {}
    if len(business_key) > MAX_BUSINESS_KEY:
        errors["business_key"] = f"业务编号不能超过 {MAX_BUSINESS_KEY} 个字"
    if len(title) > MAX_TITLE:
        errors["title"] = f"标题不能超过 {MAX_TITLE} 个字"
    if any(ord(ch) < 32 for ch in business_key + title):
        errors.setdefault("title", "含有不允许的字符")
    if errors:
        raise InvalidData(errors, "发起流程的信息有误")
    with platform.uow() as uow:
        version = uow.processes.latest(process_key)
        if version is None:
            raise NotFound(f"流程 {process_key} 尚未部署")
        if not _summary(platform, uow, actor, version).may_start:
            raise Forbidden(f"您的角色不能发起流程「{version.name}」")
    return instances.start_instance(platform, actor, process_key, business_key=business_key or None,
                                    title=title)


def starter_lanes(platform: Platform, uow: UnitOfWork, version: ProcessVersion) -> tuple[str, ...]:
    """Lanes of the process's start events; every lane of the process when no start event is in a lane."""
    return start_lanes(platform.runtime.bundle(version.id, lambda: uow.processes.spec_json(version.id)).spec)


def _summary(platform: Platform, uow: UnitOfWork, actor: Actor, version: ProcessVersion) -> ProcessSummary:
    lanes = starter_lanes(platform, uow, version)
    page = start_page(platform.runtime.bundle(version.id, lambda: uow.processes.spec_json(version.id)).spec)
    role_keys = {platform.lane_role(uow, lane)[0] for lane in lanes} - {""}
    names = {role.key: role.name for role in uow.directory.roles()}
    versions = tuple(VersionInfo(v.id, v.version, v.deployed_by, v.deployed_at)
                     for v in HistoryQueries(uow.session).version_summaries(version.process_key))
    latest = next((v for v in versions if v.id == version.id), versions[0])
    return ProcessSummary(
        key=version.process_key, name=version.name, latest=latest, versions=versions,
        starter_roles=tuple(sorted(names.get(key, key) for key in role_keys)),
        may_start=bool(role_keys & actor.role_keys) and bool(actor.organisation_id), start_page=page)
