"""The institutions' columns of the bureau's compliance overview: surveys filed on time (S9), their scores (S8) and
the year's 送培入企 count against the minimum (S10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from adapters.rules.institutions import RATINGS
from adapters.services.institutions.context import INSTITUTION_KIND, InstitutionsContext, repo
from adapters.services.institutions.outreach import counts
from adapters.services.platform import compliance
from adapters.services.platform.compliance import Indicator, Measure, ReportPeriod
from storage.uow import UnitOfWork


def _surveys(uow: UnitOfWork, period: ReportPeriod, ids: Sequence[int]) -> dict[int, list]:
    found: dict[int, list] = {i: [] for i in ids}
    for survey in repo(uow).surveys(year=period.year, quarter=period.quarter):
        if survey.organisation_id in found:
            found[survey.organisation_id].append(survey)
    return found


def surveys_on_time(uow: UnitOfWork, period: ReportPeriod, ids: Sequence[int], today: dt.date
                    ) -> Mapping[int, Measure]:
    """Surveys filed by their due date out of those filed or past due."""
    result = {}
    for org_id, surveys in _surveys(uow, period, ids).items():
        due = [s for s in surveys if s.filed_on is not None or s.due_date < today]
        if not due:
            continue
        on_time = sum(1 for s in due if s.filed_on is not None and not s.days_late)
        status = "ok" if on_time == len(due) else "bad"
        result[org_id] = Measure(on_time / len(due), f"{on_time}/{len(due)}", status)  # type: ignore[arg-type]
    return result


def survey_score(uow: UnitOfWork, period: ReportPeriod, ids: Sequence[int]) -> Mapping[int, Measure]:
    result = {}
    for org_id, surveys in _surveys(uow, period, ids).items():
        scored = [s for s in surveys if s.score is not None]
        if not scored:
            continue
        mean = sum(s.score for s in scored) / len(scored)
        worst = "poor" if any(s.rating == "poor" for s in scored) else min(s.rating or "fair" for s in scored)
        status = {"poor": "bad", "fair": "warn", "good": "ok"}[worst]
        result[org_id] = Measure(mean, f"{mean:.0f}（{RATINGS[worst]}）", status)  # type: ignore[arg-type]
    return result


def register(ctx: InstitutionsContext) -> None:
    def outreach_count(uow: UnitOfWork, period: ReportPeriod, ids: Sequence[int]) -> Mapping[int, Measure]:
        rows = counts(ctx, repo(uow), period.year, ids)
        return {r.organisation_id: Measure(r.counted, f"{r.counted}/{r.minimum}",
                                           "ok" if not r.below else "bad" if r.warn else "warn") for r in rows}

    def on_time(uow: UnitOfWork, period: ReportPeriod, ids: Sequence[int]) -> Mapping[int, Measure]:
        return surveys_on_time(uow, period, ids, ctx.today())

    kinds = (INSTITUTION_KIND,)
    compliance.register(ctx.platform, Indicator("institutions.surveys_on_time", "调研按时报送", "Surveys on time",
                                                kinds, on_time, 30))
    compliance.register(ctx.platform, Indicator("institutions.survey_score", "调研评估得分", "Survey score",
                                                kinds, survey_score, 31))
    compliance.register(ctx.platform, Indicator("institutions.outreach_count", "送培入企次数", "送培入企 count",
                                                kinds, outreach_count, 32))
