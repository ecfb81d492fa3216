"""The named services of ``mine_rescue_training`` (S6): two lanes, the rescue team's and the exam centre's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from adapters.engine.errors import ServiceFailed
from adapters.rules.catalogue import MINE_RESCUE
from adapters.services.enterprises.context import EnterprisesContext, city_bureau_of, repo
from adapters.services.enterprises.service_tasks import in_step, link_sitting
from adapters.services.platform.errors import InvalidData
from storage.models_enterprises import RescueCourse
from storage.repositories.enterprises import EnterprisesRepository
from storage.uow import UnitOfWork

Check = Callable[[UnitOfWork, Mapping[str, Any]], dict[str, str]]


def _course(ents: EnterprisesRepository, course_id: Any) -> RescueCourse:
    course = ents.course(int(course_id or 0), lock=True)
    if course is None:
        raise InvalidData({"course_id": f"培训班 {course_id} 不存在"})
    return course


def practical_pass_mark(ctx: EnterprisesContext) -> float:
    return float(ctx.reference.rulebook().value("exam_pass_mark", ctx.today())) if ctx.reference else 80.0


class RescueServices:
    def __init__(self, ctx: EnterprisesContext) -> None:
        self.ctx = ctx

    def operators(self) -> dict[str, Callable[..., dict[str, Any]]]:
        return {"rescue.begin": self.begin, "rescue.practical_done": self.practical_done,
                "rescue.open_theory": self.open_theory, "rescue.record_results": self.record_results,
                "rescue.publish": self.publish}

    def begin(self, course_id: int, instance_id: int, organisation_id: int) -> dict[str, Any]:
        """Link the instance; the rescue team's tasks go to its own unit, the theory to the city's exam centre."""
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            course = _course(ents, course_id)
            course.instance_id = int(instance_id)
            city = city_bureau_of(ents, int(organisation_id))
            centre = next((o for o in ents.organisations_of_kind("exam_centre")
                           if city is not None and o.parent_id == city.id), None)
            if centre is None:
                raise InvalidData({"exam_centre": "未找到本市应急管理资格考试中心"})
            return {"rescue_team_id": int(organisation_id), "exam_centre_id": centre.id,
                    "exam_centre_code": centre.code, "member_count": len(ents.members(course.id))}
        return in_step(run)

    def practical_done(self, course_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            mark = practical_pass_mark(self.ctx)
            members = [m for m in ents.members(_course(ents, course_id).id) if m.confirmed]
            passed = [m for m in members if (m.practical_score or 0) >= mark]
            for member in members:
                if member not in passed:
                    member.theory_result = "failed"
            return {"practical_passed": len(passed)}
        return in_step(run)

    def open_theory(self, course_id: int, exam_date: str, exam_centre_id: int) -> dict[str, Any]:
        def run(uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            course = _course(ents, course_id)
            mark = practical_pass_mark(self.ctx)
            people = [{"name": m.name, "id_number": m.id_number, "employer": m.enterprise_name}
                      for m in ents.members(course.id) if m.confirmed and (m.practical_score or 0) >= mark]
            centre = ents.organisation(int(exam_centre_id))
            city = city_bureau_of(ents, centre.id if centre else None)
            batch = self._service("exam.open_batch")(
                organisation_id=int(exam_centre_id), issuing_organisation_id=city.id if city else int(exam_centre_id),
                job_type=MINE_RESCUE, training_kind="initial", class_no=f"救护队员-{course.id}", people=people,
                exam_site_id=int(exam_centre_id), exam_date=str(exam_date)[:10], now=self.ctx.platform.now())
            course.class_id, course.status = batch["class_id"], "theory"
            link_sitting(uow, course.instance_id, batch["class_id"])
            return batch
        return in_step(run)

    def record_results(self, course_id: int, class_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            course = _course(ents, course_id)
            results = self._service("exam.batch_results")(class_id=int(class_id))
            for member in ents.members(course.id):
                if member.id_number in results:
                    member.theory_result = "passed" if results[member.id_number][0] == "passed" else "failed"
            return {"passed": sum(r == "passed" for r, _ in results.values())}
        return in_step(run)

    def publish(self, course_id: int) -> dict[str, Any]:
        def run(_uow: UnitOfWork, ents: EnterprisesRepository) -> dict[str, Any]:
            course = _course(ents, course_id)
            course.status = "published"
            return {"passed": sum(m.theory_result == "passed" for m in ents.members(course.id))}
        return in_step(run)

    def _service(self, name: str) -> Callable[..., Any]:
        try:
            return self.ctx.platform.runtime.services[name]
        except KeyError:
            raise ServiceFailed(f"没有注册服务 {name}（考试服务未安装）") from None


def checks() -> dict[str, Check]:
    def members_confirmed(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
        if not any(m.confirmed for m in repo(uow).members(int(data.get("course_id") or 0))):
            return {"confirmed": "请在培训班页面勾选参训队员后再提交"}
        return {}

    def practical_complete(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
        missing = [m.name for m in repo(uow).members(int(data.get("course_id") or 0))
                   if m.confirmed and m.practical_score is None]
        if missing:
            return {"confirmed": "以下队员尚无实操成绩：" + "、".join(missing[:20])}
        return {}

    return {"rescue_members_confirmed": members_confirmed, "rescue_practical_complete": practical_complete}
