"""The full-staff exam before resumption (S5) through HTTP: suspension, roster, sittings, results, resumption;
who sees what (an enterprise only its own), and how long a 200-person roster takes end to end."""

from __future__ import annotations

import datetime as dt
import io
import time

from adapters.services.enterprises import suspensions
from tests.e2e.enterprises.flow import HttpFlow
from tests.e2e.web.conftest import post_form
from tests.support.enterprises import ctx_of, roster_xlsx
from tests.support.issuance import id_number

EXAM = dt.date(2026, 3, 10)


def _class_id(wiring, people, case_url: str) -> int:
    case_id = int(case_url.rsplit("/", 1)[1])
    page = suspensions.case_page(ctx_of(wiring), people.actor("sup_zz"), case_id)
    with wiring.platform.reader() as uow:
        return int(uow.instances.get(page.instance_id).subject["class_id"])


def test_s5_a_suspended_enterprise_is_examined_and_cleared_to_resume_through_http(
        wiring, people, enterprises, as_user, fixed_clock):
    flow = HttpFlow(as_user, fixed_clock, enterprises["ENT-ZZ"])
    flow.suspend()
    assert flow.roster(3).status_code == 302
    refused = flow.decide("resume")
    assert refused.status_code == 409  # the review is not open yet: no step to complete
    assert flow.schedule(EXAM).status_code == 302
    flow.exam_day(EXAM, _class_id(wiring, people, flow.case_url))
    page = flow.bureau.get(flow.case_url).get_data(as_text=True)
    assert page.count('data-result="passed"') == 3 and "复产复工审查" in page
    assert flow.decide("resume").status_code == 302
    final = flow.enterprise.get(flow.case_url).get_data(as_text=True)
    assert "准予复产复工" in final and "sup_zz" in final


def test_s5_the_enterprise_sees_only_its_own_roster(wiring, people, enterprises, as_user, fixed_clock):
    flow = HttpFlow(as_user, fixed_clock, enterprises["ENT-ZZ"])
    flow.suspend()
    flow.roster(2)
    other = as_user("ent_city")
    assert other.get(flow.case_url).status_code == 404
    assert "泽州某化工" not in other.get("/enterprises/suspensions/").get_data(as_text=True)
    listing = other.get("/enterprises/").get_data(as_text=True)
    assert "晋城某煤业" in listing and "泽州某化工" not in listing
    own = flow.enterprise.get(flow.case_url).get_data(as_text=True)
    assert own.count("data-result=") == 2 and id_number(1) not in own  # ID numbers are masked


def test_s5_a_roster_with_a_wrong_id_number_is_refused_naming_the_row_and_nothing_is_imported(
        wiring, people, enterprises, as_user, fixed_clock):
    flow = HttpFlow(as_user, fixed_clock, enterprises["ENT-ZZ"])
    flow.suspend()
    bad = roster_xlsx(2, extra=[("错号人", "140502198001010011", "司机"), ("重复人", id_number(1), "司机")])
    response = post_form(flow.enterprise, f"{flow.case_url}/roster", {"sheet": (io.BytesIO(bad), "花名册.xlsx")},
                         content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<td>4</td>" in text and "校验" in text and "重复" in text
    assert 'data-result=' not in flow.enterprise.get(flow.case_url).get_data(as_text=True)


def test_s5_a_suspension_of_an_enterprise_that_is_not_high_risk_is_refused_naming_the_field(
        wiring, people, enterprises, as_user, fixed_clock):
    response = post_form(as_user("sup_zz"), "/enterprises/suspensions/new", {
        "enterprise_id": str(enterprises["ENT-LOW"]), "cause": "fatal_accident", "order_no": "X-1",
        "order_date": "2026-03-02"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "不属于高危行业企业" in text and "请上传停产整顿指令文书" in text
    assert suspensions.case_list(ctx_of(wiring), people.actor("sup_zz")) == []


def test_s5_full_staff_flow_for_a_200_person_roster_through_http_is_timed(
        wiring, people, enterprises, as_user, fixed_clock, capsys):
    flow = HttpFlow(as_user, fixed_clock, enterprises["ENT-ZZ"])
    started = time.perf_counter()
    flow.suspend()
    flow.roster(200)
    flow.schedule(EXAM)
    flow.exam_day(EXAM, _class_id(wiring, people, flow.case_url))
    assert flow.decide("resume").status_code == 302
    seconds = time.perf_counter() - started
    page = flow.bureau.get(flow.case_url).get_data(as_text=True)
    assert page.count('data-result="passed"') == 200
    with capsys.disabled():
        print(f"\nS5 full-staff flow, 200-person roster, through HTTP: {seconds:.2f} s")
    assert seconds < 60
