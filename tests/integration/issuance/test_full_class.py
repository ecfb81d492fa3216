"""A full class of thirty trainees of mixed categories, from the xlsx import to certificates in the trainees' hands,
through the deployed process and the class-page services (S1, S2, S3, S4, A1)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from adapters.services.issuance import archive, classes, deadlines, exams, issuance, passwords, scores, views
from adapters.services.issuance.scores import ScoreEntry
from adapters.services.platform.errors import InvalidData
from tests.integration.issuance.certificates_support import enter_team_leader_validity
from tests.support.issuance import complete, complete_archive, id_number, name_of, open_ids, set_day, upload
from tests.unit.render.sheets import fill

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
    **{n: (90, None, 86, None) for n in range(1, 9)},
    **{n: (70, 88, 90, None) for n in (9, 10, 11)},
    12: (95, None, 60, 82), 13: (50, 60, None, None), 14: (79, 70, None, None), 15: ("absent", None, None, None),
    **{n: (85, None, None, None) for n in range(16, 26)},
    **{n: (62, 90, None, None) for n in (26, 27, 28)},
    29: (40, 55, None, None), 30: (60, "absent", None, None),
}
PASSERS = set(range(1, 13)) | set(range(16, 29))


def sheet_rows(bad_row: int | None = None) -> list[list]:
    rows = []
    for n, (job, education, kind, coal, hazard, new) in CATEGORIES.items():
        number = id_number(n)
        if n == bad_row:
            number = number[:-1] + ("1" if number[-1] != "1" else "2")
        rows.append([name_of(n), number, "", "13900000000", education, job, kind, coal, hazard, new, "晋城某公司"])
    return rows


@pytest.fixture
def thirty(ctx, inst, deployed):
    class_id = classes.register_class(ctx, inst, class_no="2026-综合-01", job_type="1.2", training_kind="initial",
                                      start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 6))
    template = classes.import_template()
    outcome = classes.import_trainees_xlsx(ctx, inst, class_id, fill(template, sheet_rows(bad_row=17), sheet="学员信息"))
    assert outcome.imported == 0 and [(e.row, e.column) for e in outcome.errors] == [(18, "身份证号")]
    assert classes.import_trainees_xlsx(ctx, inst, class_id, fill(template, sheet_rows(), sheet="学员信息")).imported == 30
    return class_id


def by_name(ctx, actor, class_id) -> dict[str, int]:
    return {t.name: t.trainee_id for t in archive.archive_status(ctx, actor, class_id).trainees}


def test_thirty_mixed_trainees_go_from_import_to_certificates_received(
        ctx, wiring, inst, bureau, site, thirty, fixed_clock):
    class_id = thirty
    iid = classes.start_issuance(ctx, inst, class_id)
    ids = by_name(ctx, inst, class_id)
    complete_archive(ctx, inst, class_id, skip={(10, "coal_work_experience"), (26, "chemical_qualification")})
    with pytest.raises(InvalidData) as refused:
        complete(wiring, inst, iid, "submit_archive", {"confirmed": True})
    assert sorted(refused.value.errors.values()) == [
        f"学员{name_of(11)}（140502********{id_number(11)[-4:]}）缺少：煤矿工作经历证明",
        f"学员{name_of(27)}（140502********{id_number(27)[-4:]}）缺少："
        "化工、化学、安全等相关专业大专学历或化工类中级及以上职称证书复印件"]
    upload(ctx, inst, trainee_id=ids[name_of(11)], key="coal_work_experience")
    upload(ctx, inst, trainee_id=ids[name_of(27)], key="chemical_qualification")
    complete(wiring, inst, iid, "submit_archive", {"confirmed": True})
    complete(wiring, bureau, iid, "review_archive", {"decision": "return", "return_items": [
        {"trainee": name_of(21), "item": "previous_certificate", "reason": "原证件已过期，请附复审记录"},
        {"trainee": "", "item": "training_plan", "reason": "课程表缺少学时合计"}]})
    upload(ctx, inst, trainee_id=ids[name_of(21)], key="previous_certificate")
    upload(ctx, inst, class_id=class_id, key="training_plan")
    complete(wiring, inst, iid, "submit_archive", {"confirmed": True})
    complete(wiring, bureau, iid, "review_archive", {"decision": "approve"})
    assert [r.decision for r in archive.archive_rounds(ctx, bureau, class_id)] == ["returned", "approved"]

    complete(wiring, bureau, iid, "request_password", {"password_requested_on": "2026-03-09",
                                                       "password_request_reference": "晋应急考〔2026〕21号"})
    passwords.record_exam_password(ctx, bureau, class_id, "P-0316-A")
    complete(wiring, bureau, iid, "password_answer", {"confirmed": True})
    complete(wiring, bureau, iid, "schedule_exam", {"exam_site_code": "SITE-1", "exam_date": EXAM.isoformat()})

    set_day(fixed_clock, EXAM)
    scores.record_scores(ctx, site, class_id, [
        ScoreEntry(ids[name_of(n)], theory, None, practical if _main_practical(n) else None)
        for n, (theory, _resit, practical, _practical_resit) in SCORES.items()])
    complete(wiring, site, iid, "main_scores", {"confirmed": True})
    assert open_ids(wiring, iid) == ["resit_scores"]
    resits = [ScoreEntry(ids[name_of(n)], theory_resit=resit, practical_resit=practical_resit,
                         practical_main=None if _main_practical(n) else practical)
              for n, (_theory, resit, practical, practical_resit) in SCORES.items()
              if resit is not None or practical_resit is not None]
    scores.record_scores(ctx, site, class_id, resits)
    complete(wiring, site, iid, "resit_scores", {"confirmed": True})
    sheet = scores.score_sheet(ctx, site, class_id)
    assert {row.name for row in sheet.rows if row.status == "passed"} == {name_of(n) for n in PASSERS}

    summary = load_workbook(io.BytesIO(exams.score_summary(ctx, site, class_id)))["成绩汇总表"]
    values = [[c.value for c in row] for row in summary.iter_rows(min_row=5, max_row=34)]
    assert len(values) == 30 and all("*" in str(v[2]) for v in values) and values[14][3] == "缺考"
    for key in ("exam_plan", "theory_main_record", "theory_resit_record", "practical_main_record",
                "practical_resit_record", "score_summary"):
        upload(ctx, site, class_id=class_id, key=key)
    complete(wiring, site, iid, "exam_archive", {"confirmed": True})

    set_day(fixed_clock, dt.date(2026, 3, 17))
    approval = {"issuance_decision": "approved", "issuance_approved_on": "2026-03-17", "issuance_reference": "SX-9"}
    with pytest.raises(InvalidData) as refused:
        complete(wiring, bureau, iid, "provincial_approval", approval)
    assert "rule_team_leader" in refused.value.errors
    enter_team_leader_validity(wiring.platform)
    complete(wiring, bureau, iid, "provincial_approval", approval)
    certificates = issuance.class_certificates(ctx, bureau, class_id)
    assert {c.holder_name for c in certificates} == {name_of(n) for n in PASSERS}
    numbers = {c.holder_name: c.number for c in certificates}
    assert numbers[name_of(1)] == "T" + id_number(1) and numbers[name_of(21)] == id_number(21)
    assert sorted(numbers[name_of(n)] for n in range(16, 21)) == [f"BZZ140500-2026-{k:06d}" for k in range(1, 6)]
    assert all(c.document_id for c in certificates)

    complete(wiring, bureau, iid, "delivery", {"delivered_on": "2026-03-17", "delivered_to": "培训机构 李经办"})
    set_day(fixed_clock, dt.date(2026, 3, 19))
    issuance.record_receipts(ctx, inst, class_id, [issuance.Receipt(c.id, dt.date(2026, 3, 18)) for c in certificates])
    assert complete(wiring, inst, iid, "receipt", {"confirmed": True}) == "completed"
    rows = deadlines.class_deadlines(ctx, class_id)
    assert {(r.kind, r.state) for r in rows} == {("class_archive", "met"), ("exam_archive", "met"),
                                                 ("issuance", "met"), ("delivery", "met"), ("receipt", "met")}
    overview = views.class_overview(ctx, bureau, class_id)
    assert overview.summary.status == "closed" and overview.summary.trainee_count == 30
    assert sum(1 for t in overview.trainees if t.result == "合格") == len(PASSERS)


def _main_practical(n: int) -> bool:
    """Whether trainee n takes the practical main before any resit (special operations whose theory main passed)."""
    theory = SCORES[n][0]
    return n <= 15 and theory != "absent" and theory >= 80
