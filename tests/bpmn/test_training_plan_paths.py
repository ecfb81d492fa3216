"""Path tests of ``training_plan`` (S12): the calendar opens next quarter's plan for each institution, the plan is
filed, returned with reasons, filed again, approved and published; filing records whether it was on time."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.plans import plans, public
from adapters.services.platform.errors import InvalidData
from tests.support.issuance import set_day
from tests.support.plans import ctx_of, entry, file_plan, open_quarter, plan_of


@pytest.fixture
def quarter(diagrams, people, fixed_clock):
    set_day(fixed_clock, dt.date(2026, 4, 1))
    assert len(open_quarter(diagrams, dt.date(2026, 4, 1))) == 2  # INST-A and INST-B, plans for 2026 Q3
    return diagrams


def test_s12_a_plan_is_returned_with_reasons_filed_again_approved_and_published(quarter, people, fixed_clock):
    plan = plan_of(quarter, people.orgs["INST-A"], 2026, 3)
    assert plan.due_date == dt.date(2026, 6, 20) and plan.status == "draft"
    inst, bureau, ctx = people.actor("inst_a"), people.actor("bureau"), ctx_of(quarter)
    assert file_plan(quarter, inst, plan.id, dt.date(2026, 7, 6)) == "running"
    with pytest.raises(InvalidData) as refused:  # S12: returning needs the reasons
        plans.finish_step(ctx, bureau, plan.id, "review_plan", {"decision": "return"})
    assert "comment" in refused.value.errors
    plans.finish_step(ctx, bureau, plan.id, "review_plan", {"decision": "return", "comment": "请补充复训班"})
    view = plans.plan_view(ctx, inst, plan.id)
    assert view.status == "returned" and view.review_comment == "请补充复训班"
    set_day(fixed_clock, dt.date(2026, 6, 25))  # filed again after the due date: the first filing still counts
    plans.add_entry(ctx, inst, plan.id, entry(dt.date(2026, 8, 3), kind="renewal"))
    plans.finish_step(ctx, inst, plan.id, "file_plan", {"confirmed": True})
    assert public.published_classes(ctx, period=(2026, 3)).classes == ()  # S12: not yet published
    plans.finish_step(ctx, bureau, plan.id, "review_plan", {"decision": "approve"})
    assert plans.finish_step(ctx, bureau, plan.id, "publish_plan", {"confirmed": True}) == "completed"
    view = plans.plan_view(ctx, inst, plan.id)
    assert view.status == "published" and view.submitted_on == "2026-04-01" and view.on_time is True
    assert len(public.published_classes(ctx, period=(2026, 3)).classes) == 2


def test_s12_an_empty_plan_cannot_be_filed(quarter, people):
    plan = plan_of(quarter, people.orgs["INST-B"], 2026, 3)
    with pytest.raises(InvalidData) as refused:
        plans.finish_step(ctx_of(quarter), people.actor("inst_b"), plan.id, "file_plan", {"confirmed": True})
    assert "还没有任何培训班" in refused.value.errors["confirmed"]


def test_every_element_of_training_plan_was_reached(reached):
    assert reached.missing("training_plan") == set()
