"""Deadlines in working days (S1, S2, A1.3, A1.4): statutory holidays, make-up working days, missing calendar years,
and the compliance records reports read."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.issuance import classes, deadlines
from adapters.services.issuance.context import repo
from adapters.services.issuance.reference import Reference
from adapters.services.platform.errors import InvalidData
from tests.support.issuance import complete, complete_archive, set_day


def due(ctx, start: dt.date, n: int) -> dt.date:
    with ctx.platform.uow() as uow:
        return Reference(repo(uow)).add_working_days(start, n)


def archive_deadline(ctx, class_id):
    [row] = [r for r in deadlines.class_deadlines(ctx, class_id) if r.kind == "class_archive"]
    return row


def test_a1_3_a_class_ending_on_national_day_eve_2025_has_its_archive_due_on_14_october(
        ctx, inst, deployed, new_class, fixed_clock):
    set_day(fixed_clock, dt.date(2025, 9, 30))
    class_id = new_class(end=dt.date(2025, 9, 30))
    classes.start_issuance(ctx, inst, class_id)
    assert archive_deadline(ctx, class_id).due_date == dt.date(2025, 10, 14)


def test_a1_3_the_spring_festival_2026_make_up_saturday_counts_as_a_working_day(ctx):
    # 2026-02-14 (Saturday) is a make-up working day; 15–23 February is the Spring Festival holiday.
    assert due(ctx, dt.date(2026, 2, 13), 5) == dt.date(2026, 2, 27)
    assert due(ctx, dt.date(2026, 2, 12), 3) == dt.date(2026, 2, 24)  # A1.4: 3 working days after the exam


def test_a_deadline_in_2027_is_refused_until_the_year_is_entered(ctx, inst, deployed, new_class, fixed_clock):
    set_day(fixed_clock, dt.date(2026, 12, 31))
    class_id = new_class(end=dt.date(2026, 12, 31))
    with pytest.raises(InvalidData) as refused:
        classes.start_issuance(ctx, inst, class_id)
    assert "2027 年的工作日历尚未录入" in refused.value.errors["end_date"]
    with ctx.platform.uow() as uow:
        first = dt.date(2027, 1, 1)
        days = [first + dt.timedelta(days=i) for i in range(365)]
        uow.reference.upsert_calendar_days((d, d.weekday() < 5 and d != first, "元旦" if d == first else "", "admin")
                                           for d in days)
        uow.commit()
    classes.start_issuance(ctx, inst, class_id)
    assert archive_deadline(ctx, class_id).due_date == dt.date(2027, 1, 8)


def test_s1_a_late_archive_is_recorded_with_the_working_days_it_was_late(
        ctx, inst, deployed, new_class, fixed_clock, wiring):
    class_id = new_class(end=dt.date(2026, 3, 6))  # due 2026-03-13 (Friday)
    instance_id = classes.start_issuance(ctx, inst, class_id)
    complete_archive(ctx, inst, class_id)
    set_day(fixed_clock, dt.date(2026, 3, 17))  # Tuesday: two working days late
    complete(wiring, inst, instance_id, "submit_archive", {"confirmed": True})
    row = archive_deadline(ctx, class_id)
    assert (row.state, row.done_date, row.working_days_late) == ("late", dt.date(2026, 3, 17), 2)


def test_an_open_deadline_past_its_due_date_shows_as_overdue_in_the_report(
        ctx, inst, bureau, people, deployed, new_class, fixed_clock):
    first, second = new_class(), new_class()
    for class_id in (first, second):
        classes.start_issuance(ctx, inst, class_id)
    set_day(fixed_clock, dt.date(2026, 3, 18))
    rows = deadlines.deadline_report(ctx, bureau, kinds=["class_archive"])
    assert [(r.class_id, r.state, r.working_days_late) for r in rows] == [(first, "overdue", 3), (second, "overdue", 3)]
    [line] = deadlines.compliance_summary(rows)
    assert (line.organisation_name, line.total, line.overdue) == ("晋城安培职业培训学校", 2, 2)
    assert deadlines.deadline_report(ctx, people.actor("inst_b")) == []  # another institution sees none of it
