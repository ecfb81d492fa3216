"""Path tests of ``institution_survey`` (S7–S9): the calendar opens one survey per institution per quarter, the
institution files its A2 forms and report (refused below the minimum), the city bureau's training section scores."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.institutions.results import inspection_list, publish, results
from adapters.services.platform.errors import InvalidData
from tests.support.institutions import add_forms, ctx_of, file_survey, open_quarter, score
from tests.support.issuance import open_task, set_day


def test_s7_s9_a_survey_goes_from_the_calendar_start_to_the_bureaus_score(diagrams, people, fixed_clock, reached):
    ctx = ctx_of(diagrams)
    opened = open_quarter(diagrams, fixed_clock, dt.date(2026, 10, 1))
    survey = opened["INST-A"]
    assert survey.due_date == dt.date(2026, 12, 25)
    task = open_task(diagrams, people.actor("admin"), survey.instance_id, "file_survey")
    assert task.organisation_id == people.orgs["INST-A"] and task.due_date == dt.date(2026, 12, 25)
    inst = people.actor("inst_a")
    add_forms(ctx, inst, survey, 2, dt.date(2026, 10, 12))
    with pytest.raises(InvalidData) as refused:  # S7: only two enterprises
        file_survey(diagrams, ctx, inst, survey)
    assert "不少于3家" in str(refused.value.errors)
    add_forms(ctx, inst, survey, 1, dt.date(2026, 11, 3))
    set_day(fixed_clock, dt.date(2026, 12, 28))
    file_survey(diagrams, ctx, inst, survey)
    scoring = open_task(diagrams, people.actor("admin"), survey.instance_id, "score_survey")
    assert scoring.organisation_id == people.orgs["CITY"]
    assert score(diagrams, people.actor("bureau"), survey, 50, "调研企业偏少") == "completed"
    bureau = people.actor("bureau")
    [row] = [r for r in results(ctx, bureau, 2026, 4) if r.code == "INST-A"]
    assert (row.score, row.rating, row.days_late) == (50, "poor", 3)
    publish(ctx, bureau, 2026, 4)
    assert [r.code for r in inspection_list(ctx, bureau, 2027)] == ["INST-A"]
    assert reached.missing("institution_survey") == set()
