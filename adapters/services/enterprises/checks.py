"""Submit checks of the enterprises forms: they refuse a submission with messages naming the field or person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from adapters.rules.enterprises import RESOLVED_RESULTS, unresolved
from adapters.services.enterprises.context import EnterprisesContext, repo
from adapters.services.enterprises.service_tasks import find_exam_site
from storage.uow import UnitOfWork

Check = Callable[[UnitOfWork, Mapping[str, Any]], dict[str, str]]
NAMES_SHOWN = 20


def _people(uow: UnitOfWork, data: Mapping[str, Any]) -> list[Any]:
    return list(repo(uow).people(int(data.get("suspension_id") or 0)))


def roster_complete(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
    if not _people(uow, data):
        return {"confirmed": "尚未上传全员花名册：请在停产整顿事项页面导入花名册（xlsx）后再提交"}
    return {}


def resumption_allowed(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
    """S5: resumption only when everyone passed or was removed from post; another sitting only if someone is left."""
    people = _people(uow, data)
    names = unresolved((p.name, p.result) for p in people)
    decision = data.get("decision")
    if decision == "resume" and names:
        shown = "、".join(names[:NAMES_SHOWN]) + (f"等{len(names)}人" if len(names) > NAMES_SHOWN else "")
        return {"decision": f"不能准予复产复工：{shown}既未考试合格，也未登记调离岗位"}
    if decision == "another_sitting" and all(p.result in RESOLVED_RESULTS for p in people):
        return {"decision": "全部人员已合格或已调离岗位，无需再安排考试"}
    return {}


def checks(ctx: EnterprisesContext) -> dict[str, Check]:
    def sitting_valid(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
        errors = {}
        code = str(data.get("exam_site_code") or "")
        if find_exam_site(repo(uow), code) is None:
            errors["exam_site_code"] = f"“{code}”不是有效的考点"
        try:
            day = dt.date.fromisoformat(str(data.get("exam_date") or ""))
            if day < ctx.today():
                errors["exam_date"] = "考试日期不能早于今天"
        except ValueError:
            errors["exam_date"] = "请填写考试日期"
        if all(p.result in RESOLVED_RESULTS for p in _people(uow, data)):
            errors["exam_site_code"] = "没有待考或未合格的人员，无需安排考试"
        return errors

    return {"enterprise_roster_complete": roster_complete, "enterprise_sitting_valid": sitting_valid,
            "enterprise_resumption_allowed": resumption_allowed}
