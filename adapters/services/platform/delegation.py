"""委托: while away, a user delegates their tasks of one role to a colleague until an end date; listed and revocable.

The delegate sees the delegator's claimed tasks (and, without the role themself, the role's group tasks) in the
inbox marked 委托 and may work on them (``Actor.acts_for``); every delegation and revocation is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, InvalidData, NotFound
from adapters.services.platform.handling import display_names
from storage.models import HumanTask
from storage.models_handling import Delegation
from storage.repositories.handling import HandlingRepository

MAX_DAYS = 180


@dataclass(frozen=True)
class DelegationRow:
    id: int
    direction: str  # "given" (by me) or "received" (to me)
    other: str
    role: str
    ends_on: dt.date
    note: str
    state: str  # active, ended, revoked


@dataclass(frozen=True)
class DelegationsPage:
    rows: list[DelegationRow]
    colleagues: list[tuple[int, str]]
    roles: list[tuple[str, str]]  # (key, name) of the actor's roles


def delegations_page(platform: Platform, actor: Actor) -> DelegationsPage:
    today = platform.today()
    with platform.reader() as uow:
        mine = HandlingRepository(uow.session).delegations_of(actor.user_id)
        names = display_names(uow, [d.from_user_id for d in mine] + [d.to_user_id for d in mine])
        role_names = {r.key: r.name for r in uow.directory.roles()}
        rows = [DelegationRow(
            id=d.id, direction="given" if d.from_user_id == actor.user_id else "received",
            other=names.get(d.to_user_id if d.from_user_id == actor.user_id else d.from_user_id, ""),
            role=role_names.get(d.role_key, d.role_key), ends_on=d.ends_on, note=d.note,
            state="revoked" if d.revoked_at else ("ended" if d.ends_on < today else "active")) for d in mine]
        colleagues = [(u.id, u.display_name) for u in HandlingRepository(uow.session).users_in(actor.organisation_id)
                      if u.id != actor.user_id]
        roles = sorted((key, role_names.get(key, key)) for key in actor.role_keys)
        return DelegationsPage(rows=rows, colleagues=colleagues, roles=roles)


def delegate(platform: Platform, actor: Actor, *, to_user_id: int, role_key: str, ends_on: dt.date | None,
             note: str = "") -> int:
    """Delegate the actor's tasks of ``role_key`` to a colleague of the same organisation up to ``ends_on``."""
    today = platform.today()
    errors: dict[str, str] = {}
    if not actor.has_role(role_key):
        errors["role"] = "只能委托您自己的角色的任务"
    if ends_on is None or ends_on < today:
        errors["ends_on"] = "请填写不早于今天的委托截止日期"
    elif ends_on > today + dt.timedelta(days=MAX_DAYS):
        errors["ends_on"] = f"委托期限最长 {MAX_DAYS} 天"
    with platform.uow() as uow:
        target = uow.directory.user(to_user_id) if to_user_id else None
        if target is None or not target.active or target.organisation_id != actor.organisation_id \
                or target.id == actor.user_id:
            errors["to_user"] = "请选择本单位的另一位同事"
        if errors:
            raise InvalidData(errors)
        assert target is not None and ends_on is not None
        row = HandlingRepository(uow.session).add_delegation(Delegation(
            from_user_id=actor.user_id, to_user_id=target.id, role_key=role_key,
            organisation_id=actor.organisation_id, ends_on=ends_on, note=(note or "").strip()[:500],
            created_at=platform.now()))
        uow.audit.record("delegation.create", user_id=actor.user_id, username=actor.username,
                         entity="delegation", entity_id=row.id,
                         detail={"to": target.display_name, "role": role_key, "ends_on": ends_on.isoformat()})
        uow.commit()
        return row.id


def revoke(platform: Platform, actor: Actor, delegation_id: int) -> None:
    with platform.uow() as uow:
        row = HandlingRepository(uow.session).delegation(delegation_id)
        if row is None:
            raise NotFound(f"委托 {delegation_id} 不存在")
        if row.from_user_id != actor.user_id and not actor.is_admin:
            raise Forbidden("只能撤销自己发出的委托")
        if row.revoked_at is None:
            row.revoked_at = platform.now()
            uow.audit.record("delegation.revoke", user_id=actor.user_id, username=actor.username,
                             entity="delegation", entity_id=row.id)
        uow.commit()


def delegated_tasks(platform: Platform, actor: Actor) -> list[tuple[HumanTask, str]]:
    """(task, delegator's name) of the open tasks the actor handles by 委托 and does not see in their own tabs."""
    if not actor.delegations:
        return []
    with platform.reader() as uow:
        found = HandlingRepository(uow.session).delegated_open_tasks(actor.delegations)
        own = [t for t in found if not (t.assignee_id is None and actor.has_role(t.role_key)
                                        and t.organisation_id == actor.organisation_id)]
        by_task = {t.id: actor.acts_for(t.role_key, t.organisation_id, t.assignee_id) for t in own}
        names = display_names(uow, by_task.values())
        return [(t, names.get(by_task[t.id], "")) for t in own]
