"""Part-time mine rescue team members (矿山兼职救护队员, S6): the city rescue team confirms the members and runs
the practical part; the city Qualification Exam Centre runs the theory exam on ``exam_with_resit`` and issues
the result. This module holds the page-side use cases; ``rescue_tasks`` the diagram's services."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO

from adapters.render.enterprise_sheets import read_members
from adapters.render.xlsx_common import RowError
from adapters.rules.idnumbers import mask_id_number
from adapters.services.enterprises.context import (
    RESCUE_PROCESS,
    RESCUE_ROLE,
    EnterprisesContext,
    read,
    unit,
)
from adapters.services.platform import instances
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from storage.models_enterprises import RescueCourse, RescueMember
from storage.repositories.enterprises import EnterprisesRepository
from storage.uow import UnitOfWork

STATUSES = {"training": "训练中", "theory": "理论考试中", "published": "结果已发布"}
RESULTS = {"pending": "待考", "passed": "合格", "failed": "不合格"}
EXAM_CENTRE_KIND = "exam_centre"


def _require_rescue_team(actor: Actor) -> None:
    if not (actor.has_role(RESCUE_ROLE) and actor.organisation_kind == "rescue_team"):
        raise Forbidden("只有市应急救援救护队可以组织兼职救护队员培训")


def create_course(ctx: EnterprisesContext, actor: Actor, title: str, stream: bytes | IO[bytes]
                  ) -> tuple[int | None, list[RowError]]:
    """The rescue team registers a course with its member list (xlsx, all rows or none) and starts the process."""
    _require_rescue_team(actor)
    if not title.strip():
        raise InvalidData({"title": "请填写培训班名称"})
    sheet = read_members(stream)
    if sheet.errors:
        return None, sheet.errors
    with unit(ctx) as (uow, ents):
        course = RescueCourse(title=title.strip()[:100], created_at=ctx.platform.now())
        ents.add(course)
        ents.add_all([RescueMember(course_id=course.id, name=r["name"], id_number=r["id_number"],
                                   enterprise_name=r["enterprise_name"]) for r in sheet.rows])
        uow.commit()
        course_id = course.id
    instances.start_instance(ctx.platform, actor, RESCUE_PROCESS, dedicated=True, business_key=f"救护-{course_id}",
                             title=f"矿山兼职救护队员培训考核：{title.strip()[:60]}",
                             data={"course_id": course_id}, subject={"rescue_course_id": course_id})
    return course_id, []


def _course(ents: EnterprisesRepository, actor: Actor, course_id: int, *, lock: bool = False) -> RescueCourse:
    course = ents.course(course_id, lock=lock)
    if course is None or not (actor.is_admin or actor.organisation_kind in ("rescue_team", EXAM_CENTRE_KIND,
                                                                             "city_bureau")):
        raise NotFound(f"培训班 {course_id} 不存在")
    return course


def confirm_members(ctx: EnterprisesContext, actor: Actor, course_id: int, member_ids: Sequence[int]) -> int:
    """The rescue team confirms who takes part (the others are not examined); returns how many are confirmed."""
    _require_rescue_team(actor)
    with unit(ctx) as (uow, ents):
        course = _course(ents, actor, course_id, lock=True)
        if course.status != "training":
            raise Conflict("培训班已进入理论考试，参训名单不能再修改")
        chosen = set(member_ids)
        for member in ents.members(course.id):
            member.confirmed = member.id in chosen
        uow.commit()
        return len(chosen)


def record_practical(ctx: EnterprisesContext, actor: Actor, course_id: int, scores: Mapping[int, str]) -> int:
    """The rescue team records practical scores (0–100) of confirmed members; all or none; returns how many."""
    _require_rescue_team(actor)
    with unit(ctx) as (uow, ents):
        course = _course(ents, actor, course_id, lock=True)
        if course.status != "training":
            raise Conflict("实操考核已结束，成绩不能再修改")
        members = {m.id: m for m in ents.members(course.id)}
        errors, values = {}, {}
        for member_id, text in scores.items():
            member = members.get(member_id)
            if member is None or not text.strip():
                continue
            try:
                value = float(text)
            except ValueError:
                value = -1.0
            if not 0 <= value <= 100:
                errors[f"m{member_id}"] = f"{member.name}：实操成绩应为0至100的数字"
            values[member_id] = value
        if errors:
            raise InvalidData(errors, "实操成绩有误，本次未保存")
        for member_id, value in values.items():
            members[member_id].practical_score = value
        uow.commit()
        return len(values)


@dataclass(frozen=True)
class CoursePage:
    id: int
    title: str
    status: str
    status_label: str
    instance_id: int | None
    class_id: int | None
    # id, name, masked ID, enterprise, confirmed, practical score, theory result
    members: list[tuple[int, str, str, str, bool, float | None, str]]


def course_page(ctx: EnterprisesContext, actor: Actor, course_id: int) -> CoursePage:
    def query(_uow: UnitOfWork, ents: EnterprisesRepository) -> CoursePage:
        course = _course(ents, actor, course_id)
        members = [(m.id, m.name, mask_id_number(m.id_number), m.enterprise_name, m.confirmed, m.practical_score,
                    RESULTS.get(m.theory_result, m.theory_result)) for m in ents.members(course.id)]
        return CoursePage(course.id, course.title, course.status, STATUSES.get(course.status, course.status),
                          course.instance_id, course.class_id, members)
    return read(ctx, query)


def courses(ctx: EnterprisesContext, actor: Actor) -> Sequence[RescueCourse]:
    if not (actor.is_admin or actor.organisation_kind in ("rescue_team", EXAM_CENTRE_KIND, "city_bureau")):
        return []
    return read(ctx, lambda _uow, ents: list(ents.courses()))
