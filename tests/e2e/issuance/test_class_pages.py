"""The class pages over HTTP: registration by rows or by a streamed xlsx import with progress, the score grid and
its xlsx import (S3), the class list's deadline state, the deadline report (S1, S2) and the links services send."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from openpyxl import load_workbook

from adapters.services.issuance import classes, issuance_context
from tests.e2e.issuance.pages import User, sheet, sheet_row, text
from tests.integration.issuance.certificates_support import EXAM
from tests.support.issuance import id_number, name_of, set_day, trainee

CLASS = {"class_no": "2026-低压电工-07", "job_type": "1.2", "training_kind": "initial",
         "start_date": "2026-03-02", "end_date": "2026-03-06", "location": "晋城市城区"}


@pytest.fixture
def inst(deployed, as_user, post) -> User:
    return User(as_user("inst_a"), post)


def stream(inst: User, rows: list[list]) -> list[dict]:
    """Register through the streamed import (as training_import.js does) and read the NDJSON lines."""
    response = inst.post("/classes/new", {**CLASS, "sheet": (io.BytesIO(sheet(rows)), "学员.xlsx")}, status=200,
                         content_type="multipart/form-data", headers={"Accept": "application/x-ndjson"})
    assert response.mimetype == "application/x-ndjson"
    return [json.loads(line) for line in text(response).splitlines()]


def test_a_large_sheet_streams_row_progress_then_registers_the_class(inst):
    lines = stream(inst, [sheet_row(n) for n in range(1, 121)])
    progress = [(line["done"], line["total"]) for line in lines if line.get("stage") == "parse"]
    assert progress[0] == (0, 0) and (50, 120) in progress and progress[-1] == (120, 120)
    assert lines[-2] == {"stage": "save"} and lines[-1]["ok"] is True
    page = inst.get(lines[-1]["redirect"])
    assert page.count('data-trainee="') == 120 and 'data-bpmn="submit_archive"' in page


def test_a_streamed_sheet_with_bad_rows_answers_with_the_row_table_and_stores_nothing(inst):
    rows = [sheet_row(n) for n in range(1, 6)]
    rows[2][1] = "140502198001010000"
    rows[4][4] = "小学"
    last = stream(inst, rows)[-1]
    assert last["ok"] is False and last["rows"] == 2
    assert re.search(r"<td>4</td><td>身份证号</td>", last["html"]) and re.search(r"<td>6</td><td>文化程度</td>", last["html"])
    assert CLASS["class_no"] not in inst.get("/classes/")


def test_rows_typed_in_the_form_register_the_class_or_show_each_problem_in_its_row(inst):
    form = {**CLASS, "t-0-name": name_of(1), "t-0-id_number": id_number(1), "t-0-education": "high_school",
            "t-0-mobile": "13800000000", "t-0-employer": "晋城某公司", "t-1-name": name_of(2),
            "t-1-id_number": id_number(1), "t-1-education": "bachelor", "t-1-employer": "晋城某公司",
            "t-2-name": "", "_action": "submit"}
    page = text(inst.post("/classes/new", form, status=422))
    assert "身份证号与第 1 名学员重复" in page and page.count('class="row has-error"') == 1
    assert f'value="{name_of(2)}"' in page, "what was typed stays in the form"
    added = text(inst.post("/classes/new", {**form, "_action": "addrow:t"}, status=200))
    assert added.count('name="t-3-name"') == 1
    done = inst.post("/classes/new", {**form, "t-1-id_number": id_number(2)})
    page = inst.get(done.headers["Location"])
    assert "期次已登记，考核发证流程已启动" in page and page.count('data-trainee="') == 2


def test_the_template_downloads_and_a_class_page_imports_more_trainees(inst, deployed, people):
    with inst.client.get("/classes/template.xlsx") as template:
        assert load_workbook(io.BytesIO(template.data)).sheetnames[:2] == ["学员信息", "说明"]
    class_id = classes.register_class(issuance_context(deployed), people.actor("inst_a"), **_dates("C-9"),
                                      trainees=[trainee(1)])
    refused = inst.post(f"/classes/{class_id}/trainees/import",
                        {"sheet": (io.BytesIO(sheet([sheet_row(1), sheet_row(2)])), "a.xlsx")},
                        status=422, content_type="multipart/form-data")
    assert "身份证号与本期次已有学员重复" in text(refused)
    inst.post(f"/classes/{class_id}/trainees/import", {"sheet": (io.BytesIO(sheet([sheet_row(2)])), "a.xlsx")},
              content_type="multipart/form-data")
    assert inst.get(f"/classes/{class_id}").count('data-trainee="') == 2


def _dates(class_no: str) -> dict:
    return {"class_no": class_no, "job_type": "1.2", "training_kind": "initial",
            "start_date": dt.date(2026, 3, 2), "end_date": dt.date(2026, 3, 6)}


@pytest.fixture
def scheduled(deployed, people, fixed_clock):
    """A class of three at SITE-1, scheduled for EXAM; the clock on the exam day."""
    from adapters.services.issuance.context import repo
    from adapters.services.issuance.exams import schedule_exam

    ctx = issuance_context(deployed)
    class_id = classes.register_class(ctx, people.actor("inst_a"), **_dates("S-1"),
                                      trainees=[trainee(1), trainee(2), trainee(3, job_type="safety_manager")])
    with ctx.platform.uow() as uow:
        schedule_exam(ctx, uow, repo(uow), class_id, "SITE-1", EXAM)
        uow.commit()
    set_day(fixed_clock, EXAM)
    return class_id


def test_s3_the_score_grid_refuses_a_bad_cell_and_stores_nothing_of_the_batch(scheduled, as_user, post):
    site = User(as_user("site"), post)
    ids = re.findall(r'name="s-([0-9]+)-theory_main"', site.get(f"/classes/{scheduled}/scores"))
    page = text(site.post(f"/classes/{scheduled}/scores", {f"s-{ids[0]}-theory_main": "85",
                                                            f"s-{ids[1]}-theory_main": "八十"}, status=422))
    assert "“八十”不是分数" in page and 'value="85"' in page
    assert len(re.findall(r'name="s-[0-9]+-theory_main"', site.get(f"/classes/{scheduled}/scores"))) == 3
    site.post(f"/classes/{scheduled}/scores", {f"s-{ids[0]}-theory_main": "85", f"s-{ids[1]}-theory_main": "缺考",
                                               f"s-{ids[2]}-theory_main": "70"})
    grid = site.get(f"/classes/{scheduled}/scores")
    assert f'name="s-{ids[2]}-theory_resit"' in grid and f'name="s-{ids[1]}-theory_resit"' not in grid
    assert f'name="s-{ids[0]}-practical_main"' in grid and f'name="s-{ids[2]}-practical_main"' not in grid
    bureau = User(as_user("bureau"), post)
    assert 'name="s-' not in bureau.get(f"/classes/{scheduled}/scores"), "only the site enters scores"


def test_s3_scores_import_from_the_class_template_all_or_nothing(scheduled, as_user, post):
    site = User(as_user("site"), post)
    with site.client.get(f"/classes/{scheduled}/scores/template.xlsx") as template:
        book = load_workbook(io.BytesIO(template.data))
    sheet_ = book.worksheets[0]
    headers = [c.value for c in sheet_[1]]
    theory = headers.index(next(h for h in headers if h and "理论" in h and "正考" in h)) + 1
    for row in range(2, 5):
        sheet_.cell(row=row, column=theory, value=120 if row == 3 else 90)
    refused = site.post(f"/classes/{scheduled}/scores/import", {"sheet": (io.BytesIO(_saved(book)), "s.xlsx")},
                        status=422, content_type="multipart/form-data")
    assert "未保存任何成绩" in text(refused) and "<td>3</td>" in text(refused)
    sheet_.cell(row=3, column=theory, value=88)
    site.post(f"/classes/{scheduled}/scores/import", {"sheet": (io.BytesIO(_saved(book)), "s.xlsx")},
              content_type="multipart/form-data")
    assert site.get(f"/classes/{scheduled}/scores").count('name="s-') == 2, "two practical mains now open"


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_s1_an_overdue_archive_shows_red_in_the_list_and_in_the_bureau_report(deployed, people, fixed_clock,
                                                                              as_user, post):
    ctx = issuance_context(deployed)
    class_id = classes.register_class(ctx, people.actor("inst_a"), **_dates("O-1"), trainees=[trainee(1)])
    classes.start_issuance(ctx, people.actor("inst_a"), class_id)
    set_day(fixed_clock, dt.date(2026, 3, 17))  # due 2026-03-13; two working days late
    row = re.search(r'<tr class="overdue" data-class="[0-9]+">.*?</tr>', User(as_user("inst_a"), post).get("/classes/"),
                    re.S)
    assert row and "O-1" in row.group(0) and "已逾期 2 个工作日" in row.group(0)
    report = User(as_user("bureau"), post).get("/classes/reports/deadlines")
    assert "<svg" in report and "晋城安培职业培训学校" in report and 'class="bar bar-overdue"' in report
    assert as_user("inst_a").get("/classes/reports/deadlines").status_code == 404


def test_links_in_notifications_lead_to_the_class_page(deployed, people, as_user):
    class_id = classes.register_class(issuance_context(deployed), people.actor("inst_a"), **_dates("L-1"),
                                      trainees=[trainee(1)])
    from adapters.services.issuance.context import CLASS_LINK

    page = as_user("inst_a").get(CLASS_LINK.format(class_id=class_id))
    assert page.status_code == 200 and "L-1" in page.get_data(as_text=True)


def test_the_class_pages_speak_english_too(inst, deployed, people):
    class_id = classes.register_class(issuance_context(deployed), people.actor("inst_a"), **_dates("E-1"),
                                      trainees=[trainee(1)])
    inst.client.get("/language/en")
    assert "Register a class" in inst.get("/classes/")
    page = inst.get(f"/classes/{class_id}")
    assert "Trainees and their documents" in page and "Class archive (A1.1)" in page


def test_a_streamed_import_into_another_institutions_class_is_refused_in_the_last_line(deployed, people, as_user,
                                                                                       post):
    class_id = classes.register_class(issuance_context(deployed), people.actor("inst_a"), **_dates("X-1"),
                                      trainees=[trainee(1)])
    other = User(as_user("inst_b"), post)
    response = other.post(f"/classes/{class_id}/trainees/import", {"sheet": (io.BytesIO(sheet([sheet_row(2)])), "a.xlsx")},
                          status=200, content_type="multipart/form-data", headers={"Accept": "application/x-ndjson"})
    last = json.loads(text(response).splitlines()[-1])
    assert last["ok"] is False and "不存在" in last["html"]
    other.post(f"/classes/{class_id}/trainees/import", {"sheet": (io.BytesIO(sheet([sheet_row(2)])), "a.xlsx")},
               status=404, content_type="multipart/form-data")
