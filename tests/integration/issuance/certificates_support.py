"""Classes whose trainees have passed, ready for issuance (for the certificate tests)."""

from __future__ import annotations

import datetime as dt

from adapters.services.issuance import scores
from adapters.services.issuance.context import repo
from adapters.services.issuance.exams import finalise_results, schedule_exam
from adapters.services.issuance.issuance import issue_certificates
from adapters.services.issuance.scores import ScoreEntry
from storage.models import RuleValue
from tests.support.issuance import set_day

EXAM = dt.date(2026, 3, 16)


def pass_everyone(ctx, site, class_id, clock) -> None:
    """Schedule the class at SITE-1, record passing scores for all and make the results final."""
    with ctx.platform.uow() as uow:
        schedule_exam(ctx, uow, repo(uow), class_id, "SITE-1", EXAM)
        uow.commit()
    set_day(clock, EXAM)
    rows = scores.score_sheet(ctx, site, class_id).rows
    scores.record_scores(ctx, site, class_id, [ScoreEntry(r.trainee_id, 90, None, 90 if r.practical else None)
                                               for r in rows])
    with ctx.platform.uow() as uow:
        finalise_results(ctx, repo(uow), class_id)
        uow.commit()


def issue(ctx, class_id) -> int:
    with ctx.platform.uow() as uow:
        count = issue_certificates(ctx, uow, repo(uow), class_id)
        uow.commit()
        return count


def enter_team_leader_validity(platform, years: int = 3) -> None:
    with platform.uow() as uow:
        uow.reference.add_rule_value(RuleValue(key="team_leader_certificate_validity_years", value=years,
                                               effective_from=dt.date(2021, 9, 16), source="测试：市局规定"))
        uow.commit()
