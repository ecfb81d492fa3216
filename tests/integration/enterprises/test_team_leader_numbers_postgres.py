"""S4 on the real PostgreSQL: team-leader certificates issued at the same moment by separate OS processes get one
gap-free sequence per jurisdiction — the county's and the city's never mix, none is skipped or repeated."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp

import pytest

from adapters.rules.certnumbers import parse_team_leader_number
from adapters.services.bootstrap import bootstrap
from adapters.services.enterprises import team_leaders
from adapters.services.enterprises.team_leaders import ApplicantInput
from adapters.services.issuance import scores
from adapters.services.issuance.scores import ScoreEntry
from adapters.services.platform import deploy, directory, tasks
from tests.bpmn.coverage import diagram_files
from tests.support.enterprises import add_enterprises, ctx_of, enter_team_leader_validity
from tests.support.issuance import complete, id_number, name_of, open_task, set_day
from tests.support.issuance import ctx_of as training_ctx

pytestmark = pytest.mark.postgres
EXAM = dt.date(2026, 3, 10)
PER_CLASS = 3


def _finish_exam_in_child(settings, task_id, barrier, results):
    wiring = bootstrap(settings)
    try:
        site = directory.actor_by_username(wiring.platform, "site")
        barrier.wait(timeout=60)
        results.put(("ok", tasks.complete(wiring.platform, site, task_id, {"confirmed": True})))
    except Exception as err:  # reported by the test
        results.put(("error", f"{type(err).__name__}: {err}"))
    finally:
        wiring.dispose()


def _to_exam_day(wiring, people, clock, user: str, bureau: str, first: int) -> tuple[int, str]:
    ctx = ctx_of(wiring)
    set_day(clock, dt.date(2026, 3, 2))
    application_id = team_leaders.apply(ctx, people.actor(user), "initial",
                                        [ApplicantInput(name_of(n), id_number(n)) for n in range(first, first + PER_CLASS)])
    row = team_leaders.applications(ctx, people.actor("admin"), application_id)[0]
    complete(wiring, people.actor(bureau), row.instance_id, "review_application", {"decision": "approve"})
    complete(wiring, people.actor(bureau), row.instance_id, "schedule_exam",
             {"exam_site_code": "SITE-1", "exam_date": EXAM.isoformat()})
    set_day(clock, EXAM)
    task = open_task(wiring, people.actor("site"), row.instance_id, "main_scores")
    with wiring.platform.reader() as uow:
        class_id = int(uow.instances.get(row.instance_id).subject["class_id"])
    tctx, site = training_ctx(wiring), people.actor("site")
    rows = scores.score_sheet(tctx, site, class_id).rows
    scores.record_scores(tctx, site, class_id, [ScoreEntry(r.trainee_id, 90) for r in rows])
    return application_id, task.id


def test_s4_concurrent_issuance_numbers_each_jurisdiction_gap_free(pg_wiring, pg_people, fixed_clock):
    deploy.deploy(pg_wiring.platform, diagram_files(), "admin")
    add_enterprises(pg_wiring, pg_people)
    enter_team_leader_validity(pg_wiring)
    plan = [("ent_zz", "sup_zz"), ("ent_zz", "sup_zz"), ("ent_zz", "sup_zz"), ("ent_city", "sup_city"),
            ("ent_city", "sup_city")]
    started = [_to_exam_day(pg_wiring, pg_people, fixed_clock, user, bureau, 1 + i * PER_CLASS)
               for i, (user, bureau) in enumerate(plan)]
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(len(started)), ctx.Queue()
    procs = [ctx.Process(target=_finish_exam_in_child, args=(pg_wiring.settings, task_id, barrier, results))
             for _app, task_id in started]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    by_division: dict[str, list[int]] = {}
    for application_id, _task in started:
        [row] = team_leaders.applications(ctx_of(pg_wiring), pg_people.actor("admin"), application_id)
        for _name, _masked, _previous, number in row.people:
            parsed = parse_team_leader_number(number)
            by_division.setdefault(parsed.division_code, []).append(parsed.sequence)
    assert sorted(by_division) == ["140500", "140525"]
    assert sorted(by_division["140525"]) == list(range(1, 3 * PER_CLASS + 1))
    assert sorted(by_division["140500"]) == list(range(1, 2 * PER_CLASS + 1))
