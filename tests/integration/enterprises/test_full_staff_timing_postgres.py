"""S5 on PostgreSQL through HTTP: the full-staff flow for a 200-person roster, timed (suspension → roster →
sitting → scores → resumption)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from adapters.services.enterprises import suspensions
from adapters.services.platform import deploy
from adapters.web.app import create_app
from tests.bpmn.coverage import diagram_files
from tests.e2e.enterprises.flow import HttpFlow
from tests.e2e.web.conftest import sign_in
from tests.support.enterprises import add_enterprises, ctx_of
from tests.support.issuance import set_day

pytestmark = pytest.mark.postgres
EXAM = dt.date(2026, 3, 10)


def test_s5_full_staff_flow_for_200_people_through_http_on_postgresql(pg_wiring, pg_people, fixed_clock, capsys):
    deploy.deploy(pg_wiring.platform, diagram_files(), "admin")
    ids = add_enterprises(pg_wiring, pg_people)
    set_day(fixed_clock, dt.date(2026, 3, 2))
    app = create_app(pg_wiring.settings, wiring=pg_wiring)
    app.config["TESTING"] = True

    def as_user(username: str):
        client = app.test_client()
        assert sign_in(client, username).status_code == 302
        return client

    flow = HttpFlow(as_user, fixed_clock, ids["ENT-ZZ"])
    started = time.perf_counter()
    case_url = flow.suspend()
    flow.roster(200)
    flow.schedule(EXAM)
    case_id = int(case_url.rsplit("/", 1)[1])
    page = suspensions.case_page(ctx_of(pg_wiring), pg_people.actor("sup_zz"), case_id)
    with pg_wiring.platform.reader() as uow:
        class_id = int(uow.instances.get(page.instance_id).subject["class_id"])
    flow.exam_day(EXAM, class_id)
    assert flow.decide("resume").status_code == 302
    seconds = time.perf_counter() - started
    assert suspensions.case_page(ctx_of(pg_wiring), pg_people.actor("sup_zz"), case_id).status == "resumed"
    with capsys.disabled():
        print(f"\nS5 full-staff flow, 200-person roster, through HTTP on PostgreSQL: {seconds:.2f} s")
    assert seconds < 60
