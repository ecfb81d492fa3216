"""The plan pages and the public page over HTTP (S12): filing, refusals naming the field, publication, the public
page without sign-in and without personal data, and the printable PDF in Chinese."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.support.platform import PASSWORD

ENTRY = {"job_type": "1.2", "training_kind": "initial", "start_date": "2026-07-06", "end_date": "2026-07-10",
         "place": "晋城市城区培训楼三层", "capacity": "40"}


def _file_and_publish(quarter, as_user, post, plan: str = "INST-A") -> int:
    plan_id = quarter[plan]
    inst = as_user("inst_a" if plan == "INST-A" else "inst_b")
    assert post(inst, f"/plans/{plan_id}/entries", ENTRY).status_code == 302
    assert post(inst, f"/plans/{plan_id}/file_plan", {"confirmed": "1"}).status_code == 302
    bureau = as_user("bureau")
    assert post(bureau, f"/plans/{plan_id}/review_plan", {"decision": "approve"}).status_code == 302
    assert post(bureau, f"/plans/{plan_id}/publish_plan", {"confirmed": "1"}).status_code == 302
    return plan_id


def test_s12_a_class_outside_the_planned_quarter_is_refused_naming_the_date(quarter, as_user, post):
    inst = as_user("inst_a")
    answer = post(inst, f"/plans/{quarter['INST-A']}/entries", {**ENTRY, "start_date": "2026-06-29"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "开班日期 2026-06-29 不在计划季度 2026 年第 3 季度" in page
    assert "还没有培训班" in page  # nothing was written


def test_s12_the_public_page_shows_only_published_plans_without_sign_in(quarter, as_user, post, client):
    inst_b = as_user("inst_b")
    post(inst_b, f"/plans/{quarter['INST-B']}/entries", {**ENTRY, "place": "泽州县未公布地点"})
    post(inst_b, f"/plans/{quarter['INST-B']}/file_plan", {"confirmed": "1"})  # filed, not yet published
    _file_and_publish(quarter, as_user, post)
    answer = client.get("/plans/public/")  # anonymous
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "晋城安培职业培训学校" in page and "晋城市城区培训楼三层" in page
    assert "泽州县未公布地点" not in page and "泽州县安全培训中心" not in page


def test_s12_the_public_page_holds_no_personal_data(quarter, as_user, post, client):
    _file_and_publish(quarter, as_user, post)
    page = client.get("/plans/public/").get_data(as_text=True)
    for private in ("inst_a", "bureau", PASSWORD, "退出"):  # no usernames, nobody signed in
        assert private not in page
    assert "<tbody><tr><td>晋城安培职业培训学校</td>" in page.replace("\n  ", "")


def test_s12_the_public_page_filters_by_institution_job_type_and_date(quarter, as_user, post, client, people):
    _file_and_publish(quarter, as_user, post)
    own = people.orgs["INST-A"]
    assert "城区培训楼" in client.get(f"/plans/public/?institution={own}&job_type=1.2").get_data(as_text=True)
    assert "城区培训楼" not in client.get("/plans/public/?job_type=2.1").get_data(as_text=True)
    assert "城区培训楼" not in client.get("/plans/public/?from=2026-08-01").get_data(as_text=True)


def test_s12_the_printable_pdf_renders_the_chinese_text(quarter, as_user, post, client):
    _file_and_publish(quarter, as_user, post)
    answer = client.get("/plans/public/plan.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "2026 年第 3 季度安全培训计划" in text and "晋城安培职业培训学校" in text
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()
             for f in [f.get_object()["/BaseFont"]]}
    assert any("CJK" in f for f in fonts)


def test_s12_a_published_entry_opens_class_registration_prefilled(quarter, as_user, post):
    _file_and_publish(quarter, as_user, post)
    inst = as_user("inst_a")
    page = inst.get("/plans/public/").get_data(as_text=True)
    assert "据此登记期次" in page
    form = inst.get("/classes/new?job_type=1.2&training_kind=initial&start_date=2026-07-06&end_date=2026-07-10"
                    "&location=晋城市城区培训楼三层").get_data(as_text=True)
    assert 'value="2026-07-06"' in form and 'value="晋城市城区培训楼三层"' in form
