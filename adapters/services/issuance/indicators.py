"""The issuance family's columns of the bureau's compliance overview, from the deadline records (S1, S2).

A deadline counts once it is met or its due date has passed; it is met on time when it was done by the due date
(no working day late).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from adapters.rules.quarters import quarter_bounds
from adapters.services.issuance.context import IssuanceContext, repo
from adapters.services.platform import compliance
from adapters.services.platform.compliance import Indicator, Measure, ReportPeriod
from storage.uow import UnitOfWork

ARCHIVES = ("class_archive", "exam_archive")  # S1: institutions' class archives; S2: exam sites' exam archives
RESULTS = ("receipt",)  # S2: the institution hands the certificates to the trainees


def _bounds(period: ReportPeriod) -> tuple:
    if period.quarter:
        return quarter_bounds(period.year, period.quarter)
    return quarter_bounds(period.year, 1)[0], quarter_bounds(period.year, 4)[1]


def _on_time(ctx: IssuanceContext, kinds: Sequence[str]) -> compliance.Compute:
    def compute(uow: UnitOfWork, period: ReportPeriod, org_ids: Sequence[int]) -> Mapping[int, Measure]:
        first, last = _bounds(period)
        today = ctx.today()
        counts: dict[int, list[int]] = {}
        for record, _cls, _org in repo(uow).deadline_report(organisation_ids=list(org_ids), kinds=list(kinds),
                                                             due_from=first, due_to=last):
            if record.done_date is None and record.due_date >= today:
                continue  # still open: not yet met nor missed
            done = counts.setdefault(record.organisation_id, [0, 0])
            done[0] += int(record.done_date is not None and not (record.working_days_late or 0) > 0)
            done[1] += 1
        return {org: Measure(met / due, f"{met}/{due}", "ok" if met == due else "bad")
                for org, (met, due) in counts.items()}
    return compute


def register(ctx: IssuanceContext) -> None:
    compliance.register(ctx.platform, Indicator(
        "issuance.archives_on_time", "档案按时报送（S1、S2）", "Archives filed on time (S1, S2)",
        ("institution", "exam_site"), _on_time(ctx, ARCHIVES), order=10))
    compliance.register(ctx.platform, Indicator(
        "issuance.results_on_time", "证书按时发放学员（S2）", "Certificates handed out on time (S2)",
        ("institution",), _on_time(ctx, RESULTS), order=20))
