"""Processes the calendar starts (S7–S12 duties): once per organisation and period, never twice."""

from __future__ import annotations

import datetime as dt
import threading

from adapters.rules.quarters import quarter_of
from adapters.services.platform import deploy, recurring
from storage.models import Organisation, ProcessInstance
from tests.support.bpmn import definitions, flow, lanes, user_task


def _quarterly(platform) -> recurring.Recurrence:
    body = (lanes({"培训机构": ["start", "file", "end"]}) + '<bpmn:startEvent id="start"/>'
            + flow("f1", "start", "file") + user_task("file", "填报", org="organisation_id")
            + flow("f2", "file", "end") + '<bpmn:endEvent id="end"/>')
    xml = definitions(f'<bpmn:process id="quarterly_duty" name="季度填报" isExecutable="true">{body}</bpmn:process>')
    deploy.deploy(platform, {"quarterly_duty.bpmn": xml}, "admin")
    recurrence = recurring.Recurrence("quarterly_duty", "institution",
                                      period_of=lambda day: f"{day.year}Q{quarter_of(day)}")
    recurring.register(platform, recurrence)
    return recurrence


def _instances(platform) -> list[ProcessInstance]:
    with platform.reader() as uow:
        return list(uow.session.query(ProcessInstance).filter_by(process_key="quarterly_duty"))


def test_each_institution_gets_one_instance_per_quarter_and_a_second_scan_starts_nothing(people):
    platform = people.wiring.platform
    _quarterly(platform)
    first = recurring.start_due(platform, dt.date(2026, 10, 1))
    again = recurring.start_due(platform, dt.date(2026, 11, 15))
    rows = _instances(platform)
    assert len(first[0].started) == 2 and again[0].started == ()
    assert sorted(r.organisation_id for r in rows) == sorted([people.orgs["INST-A"], people.orgs["INST-B"]])
    assert {r.business_key for r in rows} == {"quarterly_duty:2026Q4:INST-A", "quarterly_duty:2026Q4:INST-B"}


def test_the_next_quarter_opens_new_instances_and_inactive_organisations_get_none(people):
    platform = people.wiring.platform
    _quarterly(platform)
    with platform.uow() as uow:
        uow.session.get(Organisation, people.orgs["INST-B"]).active = False
        uow.commit()
    recurring.start_due(platform, dt.date(2026, 12, 31))
    recurring.start_due(platform, dt.date(2027, 1, 1))
    assert sorted(r.business_key for r in _instances(platform)) == [
        "quarterly_duty:2026Q4:INST-A", "quarterly_duty:2027Q1:INST-A"]


def test_a_start_that_fails_leaves_nothing_behind_and_is_retried_at_the_next_scan(people):
    platform = people.wiring.platform
    recurrence = recurring.Recurrence("not_deployed_yet", "institution", period_of=lambda day: "2026Q4")
    recurring.register(platform, recurrence)
    result = recurring.start_period(platform, recurrence, "2026Q4")
    assert result.started == () and len(result.failed) == 2 and "尚未部署" in result.failed[0][1]
    with platform.reader() as uow:
        assert uow.recurring.count() == 0


def test_two_workers_scanning_at_once_on_postgresql_start_each_instance_once(pg_people):
    platform = pg_people.wiring.platform
    recurrence = _quarterly(platform)
    barrier = threading.Barrier(2)

    def scan() -> None:
        barrier.wait()
        recurring.start_period(platform, recurrence, "2026Q4")

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = _instances(platform)
    assert len(rows) == 2 and len({r.organisation_id for r in rows}) == 2
