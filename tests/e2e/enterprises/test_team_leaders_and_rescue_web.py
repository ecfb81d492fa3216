"""S4 and S6 pages through HTTP: an enterprise applies (routed to its own bureau), certificates are imported with
row errors all-or-nothing, the rescue team registers a course and confirms members; every page renders per role."""

from __future__ import annotations

import io

import pytest

from adapters.render.enterprise_sheets import MEMBERS, template
from adapters.services.enterprises import team_leaders
from adapters.services.platform import instances
from tests.e2e.web.conftest import post_form
from tests.support.enterprises import add_rescue_bodies, certificates_xlsx, ctx_of
from tests.support.issuance import id_number, name_of


def test_s4_an_enterprise_applies_on_the_page_and_its_county_bureau_gets_the_review(
        wiring, people, enterprises, as_user):
    client = as_user("ent_zz")
    refused = post_form(client, "/enterprises/team_leaders/new", {
        "kind": "renewal", "name": [name_of(1)], "id_number": [id_number(1)]})
    assert refused.status_code == 422 and "未找到其班组长证书" in refused.get_data(as_text=True)
    response = post_form(client, "/enterprises/team_leaders/new", {
        "kind": "initial", "name": [name_of(1), name_of(2)], "id_number": [id_number(1), id_number(2)]})
    assert response.status_code == 302
    [row] = team_leaders.applications(ctx_of(wiring), people.actor("admin"))
    view = instances.show_instance(wiring.platform, people.actor("admin"), row.instance_id)
    assert [(t.bpmn_id, t.organisation_id) for t in view.active_tasks] == [("review_application", people.orgs["ZZ"])]
    assert "泽州县应急管理局" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_s4_imported_certificates_are_refused_whole_when_one_row_is_wrong(wiring, people, enterprises, as_user):
    bureau = as_user("sup_zz")
    rows = [("BZZ140525-2023-000007", name_of(1), id_number(1), "某公司", "2023-05-01", "2026-05-01"),
            ("BZZ999999-2023-000001", name_of(2), id_number(2), "某公司", "2023-05-01", "2026-05-01"),
            ("BZZ140525-2023-7", name_of(3), id_number(3), "某公司", "2023-05-01", "2022-05-01")]
    response = post_form(bureau, "/enterprises/team_leaders/certificates/import",
                         {"sheet": (io.BytesIO(certificates_xlsx(rows)), "证书.xlsx")},
                         content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "格式不正确" in text and "有效期至应晚于发证日期" in text
    with wiring.platform.reader() as uow:
        from storage.repositories.enterprises import EnterprisesRepository

        assert not EnterprisesRepository(uow.session).imported_certificates(id_number(1))
    ok = post_form(bureau, "/enterprises/team_leaders/certificates/import",
                   {"sheet": (io.BytesIO(certificates_xlsx(rows[:1])), "证书.xlsx")}, content_type="multipart/form-data")
    assert ok.status_code == 302


def test_s6_the_rescue_team_registers_a_course_and_confirms_members_on_its_page(wiring, people, enterprises, as_user):
    add_rescue_bodies(wiring, people)
    client = as_user("rescue")
    sheet = template(MEMBERS, [(name_of(n), id_number(n), "某煤业") for n in (1, 2)])
    response = post_form(client, "/enterprises/rescue/new", {"title": "2026年第一期",
                                                             "sheet": (io.BytesIO(sheet), "队员.xlsx")},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    course_url = response.headers["Location"]
    page = client.get(course_url).get_data(as_text=True)
    ids = [line.split('"')[1] for line in page.split('data-member=')[1:]]
    assert len(ids) == 2
    assert post_form(client, f"{course_url}/members", {"member": ids[:1]}).status_code == 302
    page = client.get(course_url).get_data(as_text=True)
    assert "保存实操成绩" in page
    assert post_form(client, f"{course_url}/practical", {f"m{ids[0]}": "88", "finish": "1"}).status_code == 302
    assert "安排理论考试" in as_user("centre").get("/inbox/?tab=group").get_data(as_text=True)


@pytest.mark.parametrize("username", ["admin", "sup_zz", "sup_city", "ent_zz", "site"])
def test_every_enterprises_page_renders_for_each_role(wiring, people, enterprises, as_user, username):
    client = as_user(username)
    for url in ("/enterprises/", "/enterprises/suspensions/", "/enterprises/team_leaders/",
                "/enterprises/rescue/", "/enterprises/templates/roster.xlsx"):
        assert client.get(url).status_code == 200, url
    for url in ("/enterprises/suspensions/new", "/enterprises/team_leaders/new"):
        assert client.get(url).status_code == 200, url
    expected = 404 if username == "site" else 200  # bureaus by jurisdiction, the enterprise itself, nobody else
    assert client.get(f"/enterprises/{enterprises['ENT-ZZ']}").status_code == expected


def test_s4_the_county_bureau_reviews_and_schedules_on_the_application_page(wiring, people, enterprises, as_user):
    from tests.support.enterprises import enter_team_leader_validity

    enter_team_leader_validity(wiring)
    applied = post_form(as_user("ent_zz"), "/enterprises/team_leaders/new", {
        "kind": "initial", "name": [name_of(1)], "id_number": [id_number(1)]})
    url = applied.headers["Location"]
    bureau = as_user("sup_zz")
    assert "审核班组长申请" in bureau.get(url).get_data(as_text=True)
    assert "审核班组长申请" not in as_user("sup_city").get(url).get_data(as_text=True)  # not the city's work
    refused = post_form(bureau, f"{url}/review_application", {"decision": "reject"})
    assert refused.status_code == 422 and 'field has-error"><label for="f-comment"' in refused.get_data(as_text=True)
    assert post_form(bureau, f"{url}/review_application", {"decision": "approve"}).status_code == 302
    page = bureau.get(url).get_data(as_text=True)
    assert '<option value="SITE-1"' in page
    assert post_form(bureau, f"{url}/schedule_exam", {"exam_site_code": "SITE-1",
                                                      "exam_date": "2026-03-10"}).status_code == 302
    assert "考试中" in bureau.get(url).get_data(as_text=True)
