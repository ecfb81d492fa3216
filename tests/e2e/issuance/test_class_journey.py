"""A class of thirty trainees of mixed categories, through the class pages and the task forms as the institution,
the bureau and the exam site (S1, S2, S3, S4, A1): registration by xlsx, archive uploads, a return and a
resubmission, the exam with same-day resits, certificates for the passers only, receipts and every deadline."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from openpyxl import load_workbook

from adapters.services.issuance import archive, issuance_context
from tests.e2e.issuance.pages import User, sheet, sheet_row, text
from tests.integration.issuance.certificates_support import enter_team_leader_validity
from tests.support.issuance import id_number, name_of, set_day

EXAM = dt.date(2026, 3, 16)
# n → (job type, education, 初训/复训, coal, key hazardous unit, newly appointed)
CATEGORIES = {
    **{n: ("1.2", "高中" if n % 2 else "大专", "初训", "否", "否", "否") for n in range(1, 11)},
    **{n: ("5.1", "高中", "初训", "是", "否", "否") for n in range(11, 16)},
    **{n: ("team_leader", "本科", "初训", "否", "否", "否") for n in range(16, 21)},
    **{n: ("principal_leader", "本科", "复训", "否", "否", "否") for n in range(21, 26)},
    **{n: ("safety_manager", "大专", "初训", "否", "是", "是") for n in range(26, 31)},
}
# n → (theory main, theory resit, practical main, practical resit); leaders (16–30) sit theory only
SCORES = {
    **{n: ("90", "", "86", "") for n in range(1, 9)},
    **{n: ("70", "88", "90", "") for n in (9, 10, 11)},
    12: ("95", "", "60", "82"), 13: ("50", "60", "", ""), 14: ("79", "70", "", ""), 15: ("缺考", "", "", ""),
    **{n: ("85", "", "", "") for n in range(16, 26)},
    **{n: ("62", "90", "", "") for n in (26, 27, 28)},
    29: ("40", "55", "", ""), 30: ("60", "缺考", "", ""),
}
PASSED_AT_ONCE = set(range(1, 9)) | set(range(16, 26))
PASSED_RESIT = {9, 10, 11, 12, 26, 27, 28}
FAILED = {13, 14, 15, 29, 30}
SKIPPED = {(11, "coal_work_experience"), (27, "chemical_qualification")}
EXAM_ITEMS = ("exam_plan", "theory_main_record", "theory_resit_record", "practical_main_record",
              "practical_resit_record", "score_summary")
CERTIFICATE = re.compile(r'<tr data-certificate="([0-9]+)">')


def rows(bad: int | None = None) -> list[list]:
    found = []
    for n, (job, education, kind, coal, hazard, new) in CATEGORIES.items():
        row = sheet_row(n, job, education, kind, coal, hazard, new)
        if n == bad:
            row[1] = row[1][:-1] + ("1" if row[1][-1] != "1" else "2")
        found.append(row)
    return found


@pytest.fixture
def users(deployed, as_user, post):
    return {name: User(as_user(name), post) for name in ("inst_a", "bureau", "site", "inst_b")}


def register(inst: User) -> int:
    form = {"class_no": "2026-综合-01", "job_type": "1.2", "training_kind": "initial",
            "start_date": "2026-03-02", "end_date": "2026-03-06", "location": "晋城市城区安全培训中心",
            "_action": "submit"}
    refused = inst.post("/classes/new", {**form, "sheet": (io.BytesIO(sheet(rows(bad=18))), "学员.xlsx")},
                        status=422, content_type="multipart/form-data")
    assert re.search(r"<td>19</td><td>身份证号</td>", text(refused)), "row 19 (trainee 18) is named in the table"
    assert "2026-综合-01" not in inst.get("/classes/"), "A1: nothing is registered while a row is invalid"
    done = inst.post("/classes/new", {**form, "sheet": (io.BytesIO(sheet(rows())), "学员.xlsx")},
                     content_type="multipart/form-data")
    return int(done.headers["Location"].rsplit("/", 1)[-1])


def trainee_ids(wiring, inst_actor, class_id: int) -> dict[int, int]:
    """Trainee number n → trainee id (names are distinct)."""
    by_name = {t.name: t.trainee_id for t in archive.archive_status(issuance_context(wiring), inst_actor,
                                                                       class_id).trainees}
    return {n: by_name[name_of(n)] for n in CATEGORIES}


def upload_archive(inst: User, wiring, people, class_id: int, skip=()) -> None:
    """Upload every missing A1.1 and A1.2 item through the class page's upload forms (except ``skip``)."""
    status = archive.archive_status(issuance_context(wiring), people.actor("inst_a"), class_id)
    for key, _label in status.class_missing:
        inst.upload(f"/classes/{class_id}/files/{key}")
    ids = {t.trainee_id: n for n, t in zip(CATEGORIES, status.trainees, strict=True)}
    for item in status.trainees:
        for key, _label in item.missing:
            if (ids[item.trainee_id], key) not in skip:
                inst.upload(f"/classes/{class_id}/trainees/{item.trainee_id}/files/{key}")


def test_thirty_trainees_go_from_xlsx_registration_to_certificates_received_through_the_pages(
        users, wiring, people, fixed_clock, capsys):
    started = time.perf_counter()
    inst, bureau, site = users["inst_a"], users["bureau"], users["site"]
    class_id = register(inst)
    page = inst.get(f"/classes/{class_id}")
    assert page.count('data-trainee="') == 30 and id_number(1) not in page and "140502********" in page
    ids = trainee_ids(wiring, people.actor("inst_a"), class_id)

    # S1 / A1.2: two documents missing → the page lists exactly them and the submission is refused.
    upload_archive(inst, wiring, people, class_id, skip=SKIPPED)
    missing = re.findall(r'data-missing-trainee="([0-9]+)"', inst.get(f"/classes/{class_id}"))
    assert sorted(int(m) for m in missing) == sorted([ids[11], ids[27]])
    refusal = inst.complete(class_id, "submit_archive", {"confirmed": "y"}, status=422)
    assert f"学员{name_of(11)}（140502********{id_number(11)[-4:]}）缺少：煤矿工作经历证明" in refusal
    assert f"学员{name_of(27)}" in refusal and "化工类中级及以上职称证书复印件" in refusal
    inst.upload(f"/classes/{class_id}/trainees/{ids[11]}/files/coal_work_experience")
    inst.upload(f"/classes/{class_id}/trainees/{ids[27]}/files/chemical_qualification")
    inst.complete(class_id, "submit_archive", {"confirmed": "y"})

    # The bureau returns the archive with two reasons; the institution fixes and resubmits (every round kept).
    bureau.complete(class_id, "review_archive", {
        "decision": "return", "return_items-0-trainee": name_of(21), "return_items-0-item": "previous_certificate",
        "return_items-0-reason": "原证件已过期，请附复审记录", "return_items-1-trainee": "",
        "return_items-1-item": "training_plan", "return_items-1-reason": "课程表缺少学时合计"})
    page = inst.get(f"/classes/{class_id}")
    assert "原证件已过期，请附复审记录" in page and "课程表缺少学时合计" in page and 'class="round-returned"' in page
    inst.upload(f"/classes/{class_id}/trainees/{ids[21]}/files/previous_certificate")
    inst.upload(f"/classes/{class_id}/files/training_plan")
    inst.complete(class_id, "submit_archive", {"confirmed": "y"})
    bureau.complete(class_id, "review_archive", {"decision": "approve"})
    assert 'class="round-approved"' in bureau.get(f"/classes/{class_id}")

    bureau.complete(class_id, "request_password", {"password_requested_on": "2026-03-09",
                                                   "password_request_reference": "晋应急考〔2026〕21号"})
    bureau.post(f"/classes/{class_id}/password", {"password": "P-0316-A"})
    bureau.complete(class_id, "password_answer", {"confirmed": "y"})
    bureau.complete(class_id, "schedule_exam", {"exam_site_code": "SITE-1", "exam_date": EXAM.isoformat()})

    # S3: the site enters the main exam in the grid, then the same-day resits.
    set_day(fixed_clock, EXAM)
    assert "2026-综合-01" in site.get("/classes/") and "P-0316-A" in site.get(f"/classes/{class_id}")
    grid = site.get(f"/classes/{class_id}/scores")
    assert grid.count('name="s-') == 30, "only the theory main can be entered before any result"
    site.post(f"/classes/{class_id}/scores", {f"s-{ids[n]}-theory_main": s[0] for n, s in SCORES.items()})
    practical = {n: s[2] for n, s in SCORES.items() if s[2] and s[0] != "缺考" and float(s[0]) >= 80}
    grid = site.get(f"/classes/{class_id}/scores")
    assert sorted(re.findall(r'name="s-([0-9]+)-practical_main"', grid)) == sorted(str(ids[n]) for n in practical)
    site.post(f"/classes/{class_id}/scores", {f"s-{ids[n]}-practical_main": v for n, v in practical.items()})
    site.complete(class_id, "main_scores", {"confirmed": "y"})
    site.post(f"/classes/{class_id}/scores", {
        **{f"s-{ids[n]}-theory_resit": s[1] for n, s in SCORES.items() if s[1]},
        **{f"s-{ids[n]}-practical_resit": s[3] for n, s in SCORES.items() if s[3]}})
    refused = site.complete(class_id, "resit_scores", {"confirmed": "y"}, status=422)
    assert name_of(9) in refused, "S3: a candidate who passed the theory resit still needs the practical"
    site.post(f"/classes/{class_id}/scores", {f"s-{ids[n]}-practical_main": s[2] for n, s in SCORES.items()
                                              if s[1] and s[2]})
    site.complete(class_id, "resit_scores", {"confirmed": "y"})
    summary = site.client.get(f"/classes/{class_id}/scores/summary.xlsx")
    assert summary.status_code == 200 and summary.mimetype.endswith("spreadsheetml.sheet")
    cells = [[c.value for c in r] for r in load_workbook(io.BytesIO(summary.data)).active.iter_rows(min_row=5, max_row=34)]
    assert all("*" in str(row[2]) for row in cells), "A1.4(3): ID numbers masked in the summary"
    for key in EXAM_ITEMS:
        site.upload(f"/classes/{class_id}/files/{key}")
    site.complete(class_id, "exam_archive", {"confirmed": "y"})

    # S2: approval, numbering and PDFs for the passers only; delivery; receipts.
    set_day(fixed_clock, dt.date(2026, 3, 17))
    enter_team_leader_validity(wiring.platform)
    bureau.complete(class_id, "provincial_approval", {"issuance_decision": "approved",
                                                      "issuance_approved_on": "2026-03-17",
                                                      "issuance_reference": "SX-9"})
    page = bureau.get(f"/classes/{class_id}")
    certificates = CERTIFICATE.findall(page)
    assert len(certificates) == len(PASSED_AT_ONCE | PASSED_RESIT)
    holders = set(re.findall(r'<tr data-certificate="[0-9]+">.*?<td>([^<]+)<div', page, re.S))
    assert holders == {name_of(n) for n in PASSED_AT_ONCE | PASSED_RESIT} and not holders & {name_of(n) for n in FAILED}
    record = bureau.get(f"/classes/certificates/{certificates[0]}")
    with bureau.client.get(re.search(r'href="(/files/[0-9]+)"', record).group(1)) as pdf:
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    bureau.complete(class_id, "delivery", {"delivered_on": "2026-03-17", "delivered_to": "培训机构 李经办"})
    set_day(fixed_clock, dt.date(2026, 3, 19))
    inst.post(f"/classes/{class_id}/receipts", {"certificate": certificates, "received_on": "2026-03-18"})
    inst.complete(class_id, "receipt", {"confirmed": "y"})

    page = inst.get(f"/classes/{class_id}")
    kinds = dict(re.findall(r'class=" deadline-([a-z]+)" data-kind="([a-z_]+)"', page))
    assert sorted(re.findall(r'deadline-met" data-kind="([a-z_]+)"', page)) == sorted(
        ["class_archive", "exam_archive", "issuance", "delivery", "receipt"]), kinds
    assert "cls-closed" in page and "data-bpmn=" not in page
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n[timing] 30-trainee class through the pages and task forms: {elapsed:.1f} s")
