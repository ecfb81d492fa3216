"""The calendar opens next quarter's plan task for every institution exactly once (S12), also with two workers
scanning at the same moment on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

from adapters.services import plans as plans_family
from adapters.services.platform import deploy, recurring
from storage.models import HumanTask, ProcessInstance
from tests.bpmn.coverage import diagram_files


def _plan_instances(platform) -> list[ProcessInstance]:
    with platform.reader() as uow:
        return list(uow.session.query(ProcessInstance).filter_by(process_key="training_plan"))


def test_s12_each_institution_gets_one_plan_task_per_quarter_for_the_next_quarter(people):
    platform = people.wiring.platform
    deploy.deploy(platform, diagram_files(), "admin")
    first = recurring.start_due(platform, dt.date(2026, 4, 1))
    recurring.start_due(platform, dt.date(2026, 5, 15))  # a later scan in the same quarter starts nothing
    rows = _plan_instances(platform)
    assert [r.period for r in first if r.process_key == "training_plan"] == ["2026Q3"]
    assert sorted(r.business_key for r in rows) == ["training_plan:2026Q3:INST-A", "training_plan:2026Q3:INST-B"]
    with platform.reader() as uow:
        tasks = list(uow.session.query(HumanTask).filter_by(bpmn_id="file_plan"))
    assert sorted(t.organisation_id for t in tasks) == sorted([people.orgs["INST-A"], people.orgs["INST-B"]])
    assert {t.due_date for t in tasks} == {dt.date(2026, 6, 20)}
    recurring.start_due(platform, dt.date(2026, 7, 1))
    assert len(_plan_instances(platform)) == 4  # the next quarter opens the plans for 2026 Q4


def test_s12_two_workers_scanning_at_once_on_postgresql_start_each_plan_once(pg_people):
    platform = pg_people.wiring.platform
    deploy.deploy(platform, diagram_files(), "admin")
    recurrence = plans_family.recurrence()
    barrier = threading.Barrier(2)

    def scan() -> None:
        barrier.wait()
        recurring.start_period(platform, recurrence, "2026Q3")

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = _plan_instances(platform)
    assert len(rows) == 2 and len({r.organisation_id for r in rows}) == 2
    with platform.reader() as uow:
        assert uow.recurring.count("training_plan") == 2
