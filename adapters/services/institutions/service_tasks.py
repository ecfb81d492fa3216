"""The named services of ``institution_survey`` (S7–S9), run inside the engine step (``active_uow``), and the
submit check that refuses a survey with fewer A2 forms than the rule requires."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from adapters.engine.errors import ServiceFailed
from adapters.rules.institutions import SCORE_CRITERIA, rating_of
from adapters.rules.quarters import survey_due_date
from adapters.services.institutions.context import InstitutionsContext, repo
from adapters.services.platform.context import active_uow
from adapters.services.platform.errors import InvalidData, ServiceError
from storage.models import Organisation
from storage.models_institutions import InstitutionSurvey
from storage.repositories.institutions import InstitutionsRepository
from storage.uow import UnitOfWork

Step = Callable[[UnitOfWork, InstitutionsRepository], dict[str, Any]]
Check = Callable[[UnitOfWork, Mapping[str, Any]], dict[str, str]]


def in_step(fn: Step) -> dict[str, Any]:
    uow = active_uow()
    institutions = repo(uow)
    try:
        with institutions.savepoint():
            return fn(uow, institutions)
    except InvalidData as err:
        raise ServiceFailed(f"{err}：{'；'.join(err.errors.values())}") from err
    except ServiceError as err:
        raise ServiceFailed(str(err)) from err


def city_bureau_of(institutions: InstitutionsRepository, organisation_id: int) -> Organisation | None:
    org = institutions.organisation(organisation_id)
    while org is not None and org.kind != "city_bureau":
        org = institutions.organisation(org.parent_id)
    return org


def _survey(institutions: InstitutionsRepository, survey_id: Any) -> InstitutionSurvey:
    survey = institutions.survey(int(survey_id or 0), lock=True)
    if survey is None:
        raise InvalidData({"survey_id": f"调研 {survey_id} 不存在"})
    return survey


class SurveyServices:
    def __init__(self, ctx: InstitutionsContext) -> None:
        self.ctx = ctx

    def operators(self) -> dict[str, Callable[..., dict[str, Any]]]:
        return {"survey.open": self.open, "survey.record_filing": self.record_filing,
                "survey.record_score": self.record_score}

    def open(self, instance_id: int, organisation_id: int, year: int, quarter: int) -> dict[str, Any]:
        """S7/S9: the quarter's survey of one institution, due on the rule's day of the quarter's last month."""
        def run(_uow: UnitOfWork, institutions: InstitutionsRepository) -> dict[str, Any]:
            bureau = city_bureau_of(institutions, int(organisation_id))
            if bureau is None:
                raise InvalidData({"organisation_id": "培训机构不在任何市局辖区内"})
            start = dt.date(int(year), 3 * int(quarter) - 2, 1)
            due = survey_due_date(int(year), int(quarter), self.ctx.rule("survey_due_day", start))
            survey = institutions.survey_of(int(organisation_id), int(year), int(quarter))
            if survey is None:
                survey = InstitutionSurvey(organisation_id=int(organisation_id), year=int(year),
                                           quarter=int(quarter), due_date=due)
                institutions.add(survey)
            survey.instance_id = int(instance_id)
            return {"survey_id": survey.id, "bureau_id": bureau.id, "survey_due": due.isoformat(),
                    "min_enterprises": self.ctx.rule("survey_min_enterprises", start)}
        return in_step(run)

    def record_filing(self, survey_id: int, needs_analysis: str, problems: str, measures: str,
                      report_scan: int) -> dict[str, Any]:
        """S9: the report and the filing day; a filing after the due date is recorded with the days late."""
        def run(_uow: UnitOfWork, institutions: InstitutionsRepository) -> dict[str, Any]:
            survey = _survey(institutions, survey_id)
            today = self.ctx.today()
            survey.needs_analysis, survey.problems, survey.measures = needs_analysis, problems, measures
            survey.report_document_id = int(report_scan)
            survey.filed_on = today
            survey.days_late = max(0, (today - survey.due_date).days)
            return {"filed_on": today.isoformat(), "days_late": survey.days_late,
                    "enterprise_count": len(institutions.forms(survey.id))}
        return in_step(run)

    def record_score(self, survey_id: int, score_coverage: int, score_forms: int, score_report: int,
                     score_measures: int, score_note: str) -> dict[str, Any]:
        """S8: the bureau's total over the criteria and the rating it gives, by the rule values in force."""
        def run(_uow: UnitOfWork, institutions: InstitutionsRepository) -> dict[str, Any]:
            survey = _survey(institutions, survey_id)
            today = self.ctx.today()
            given = {"score_coverage": score_coverage, "score_forms": score_forms, "score_report": score_report,
                     "score_measures": score_measures}
            total = sum(int(given[name] or 0) for name, _label, _max in SCORE_CRITERIA)
            survey.score, survey.score_note, survey.scored_on = total, score_note or "", today
            survey.rating = rating_of(total, self.ctx.rule("survey_poor_below", today),
                                      self.ctx.rule("survey_good_from", today))
            return {"score": total, "rating": survey.rating}
        return in_step(run)


def checks(ctx: InstitutionsContext) -> dict[str, Check]:
    def survey_complete(uow: UnitOfWork, data: Mapping[str, Any]) -> dict[str, str]:
        """S7: at least the rule's number of enterprises, one complete A2 form each (photos and signature are
        required when a form is added, so every stored form has them)."""
        institutions = repo(uow)
        survey = institutions.survey(int(data.get("survey_id") or 0))
        if survey is None:
            return {"confirmed": "调研记录不存在"}
        minimum = ctx.rule("survey_min_enterprises", survey.due_date)
        count = len(institutions.forms(survey.id))
        if count < minimum:
            return {"confirmed": f"每季度调研企业不少于{minimum}家（S7），目前只填写了{count}份企业调研表（A2）"}
        return {}

    return {"institutions_survey_complete": survey_complete}
