"""Institutions' duties end to end on the services: the calendar opens one survey per institution per quarter
(S7), A2 forms need every field, photos and the signature scan (S8, S9, A2), results are published to all
institutions and poor ratings make next year's inspection list (S8), 送培入企 records count or say why not (S10, S11)."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from openpyxl import load_workbook

from adapters.services.institutions import outreach, surveys
from adapters.services.institutions.results import inspection_export, inspection_list, publish, results
from adapters.services.platform import deploy, recurring
from adapters.services.platform.errors import Forbidden, InvalidData, NotFound
from storage.models_institutions import InstitutionSurvey, SurveyEnterpriseForm
from tests.bpmn.coverage import diagram_files
from tests.support.institutions import a2_fields, add_forms, ctx_of, file_survey, open_quarter, photo, scan, score
from tests.support.issuance import set_day

VISIT = dt.date(2026, 10, 20)


@pytest.fixture
def deployed(wiring, people):
    deploy.deploy(wiring.platform, diagram_files(), "admin")
    return wiring


def _forms(wiring) -> int:
    with wiring.platform.reader() as uow:
        return uow.session.query(SurveyEnterpriseForm).count()


def test_s7_the_calendar_opens_one_survey_per_institution_per_quarter_and_never_twice(deployed, fixed_clock):
    first = open_quarter(deployed, fixed_clock, dt.date(2026, 10, 1))
    again = open_quarter(deployed, fixed_clock, dt.date(2026, 12, 31))
    assert sorted(first) == ["INST-A", "INST-B"] and len(again) == 2
    open_quarter(deployed, fixed_clock, dt.date(2027, 1, 1))
    with deployed.platform.reader() as uow:
        periods = sorted((s.organisation_id, s.year, s.quarter) for s in uow.session.query(InstitutionSurvey))
    assert [p[1:] for p in periods] == [(2026, 4), (2027, 1), (2026, 4), (2027, 1)]


def test_s7_two_calendar_workers_on_postgresql_open_each_survey_once(pg_people):
    wiring = pg_people.wiring
    deploy.deploy(wiring.platform, diagram_files(), "admin")
    from adapters.services.institutions import survey_recurrence as recurrence
    barrier = threading.Barrier(2)

    def scan_once() -> None:
        barrier.wait()
        recurring.start_period(wiring.platform, recurrence, "2026Q4")

    threads = [threading.Thread(target=scan_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with wiring.platform.reader() as uow:
        rows = uow.session.query(InstitutionSurvey).all()
        assert sorted(r.organisation_id for r in rows) == sorted([pg_people.orgs["INST-A"], pg_people.orgs["INST-B"]])
        assert all(r.due_date == dt.date(2026, 12, 25) for r in rows)


@pytest.mark.parametrize(("missing", "field"), [("photos", "photos"), ("signature", "signature")])
def test_s9_a2_an_enterprise_form_without_photos_or_signature_scan_is_refused_and_nothing_is_stored(
        deployed, people, fixed_clock, missing, field):
    survey = open_quarter(deployed, fixed_clock, dt.date(2026, 10, 1))["INST-A"]
    photos = [] if missing == "photos" else [photo()]
    signature = None if missing == "signature" else scan()
    with pytest.raises(InvalidData) as refused:
        surveys.add_enterprise_form(ctx_of(deployed), people.actor("inst_a"), survey.id, a2_fields(1, VISIT),
                                    photos, signature)
    assert field in refused.value.errors and _forms(deployed) == 0


@pytest.mark.parametrize("field", ["enterprise_name", "industry", "address", "enterprise_head", "phone",
                                   "surveyors", "content", "needs", "survey_method"])
def test_a2_every_field_is_required_and_the_message_names_it(deployed, people, fixed_clock, field):
    survey = open_quarter(deployed, fixed_clock, dt.date(2026, 10, 1))["INST-A"]
    with pytest.raises(InvalidData) as refused:
        surveys.add_enterprise_form(ctx_of(deployed), people.actor("inst_a"), survey.id,
                                    a2_fields(1, VISIT, **{field: ""}), [photo()], scan())
    assert list(refused.value.errors) == [field] and _forms(deployed) == 0


def test_s7_a_visit_date_outside_the_quarter_is_refused(deployed, people, fixed_clock):
    survey = open_quarter(deployed, fixed_clock, dt.date(2026, 10, 1))["INST-A"]
    with pytest.raises(InvalidData) as refused:
        surveys.add_enterprise_form(ctx_of(deployed), people.actor("inst_a"), survey.id,
                                    a2_fields(1, dt.date(2026, 9, 30)), [photo()], scan())
    assert "2026-10-01 至 2026-12-31" in refused.value.errors["visit_date"]


def test_s9_photos_are_sniffed_a_pdf_is_not_a_photo(deployed, people, fixed_clock):
    survey = open_quarter(deployed, fixed_clock, dt.date(2026, 10, 1))["INST-A"]
    with pytest.raises(InvalidData) as refused:
        surveys.add_enterprise_form(ctx_of(deployed), people.actor("inst_a"), survey.id, a2_fields(1, VISIT),
                                    [scan("照片.png")], scan())
    assert "photos" in refused.value.errors and _forms(deployed) == 0


def test_s7_another_institution_cannot_add_forms_to_a_survey(deployed, people, fixed_clock):
    survey = open_quarter(deployed, fixed_clock, dt.date(2026, 10, 1))["INST-A"]
    with pytest.raises(NotFound):
        surveys.add_enterprise_form(ctx_of(deployed), people.actor("inst_b"), survey.id, a2_fields(1, VISIT),
                                    [photo()], scan())
    assert _forms(deployed) == 0


def test_s9_on_time_and_late_filings_are_recorded(deployed, people, fixed_clock):
    ctx = ctx_of(deployed)
    opened = open_quarter(deployed, fixed_clock, dt.date(2026, 10, 1))
    for code, user, day in (("INST-A", "inst_a", dt.date(2026, 12, 25)), ("INST-B", "inst_b", dt.date(2026, 12, 31))):
        add_forms(ctx, people.actor(user), opened[code], 3, VISIT)
        set_day(fixed_clock, day)
        file_survey(deployed, ctx, people.actor(user), opened[code])
    rows = {r.code: r for r in results(ctx, people.actor("bureau"), 2026, 4)}
    assert (rows["INST-A"].days_late, rows["INST-B"].days_late) == (0, 6)


def test_s8_results_are_visible_to_every_institution_once_published_and_poor_ones_make_next_years_list(
        deployed, people, fixed_clock):
    ctx = ctx_of(deployed)
    opened = open_quarter(deployed, fixed_clock, dt.date(2026, 10, 1))
    bureau = people.actor("bureau")
    for code, user, points in (("INST-A", "inst_a", 90), ("INST-B", "inst_b", 40)):
        add_forms(ctx, people.actor(user), opened[code], 3, VISIT)
        file_survey(deployed, ctx, people.actor(user), opened[code])
        score(deployed, bureau, opened[code], points, "差" if points < 60 else "好")
    assert results(ctx, people.actor("inst_a"), 2026, 4) == []  # not published yet
    with pytest.raises(Forbidden):
        publish(ctx, people.actor("inst_a"), 2026, 4)
    assert publish(ctx, bureau, 2026, 4) == 2
    for user in ("inst_a", "inst_b"):
        seen = {r.code: r.rating for r in results(ctx, people.actor(user), 2026, 4)}
        assert seen == {"INST-A": "good", "INST-B": "poor"}
    assert [r.code for r in inspection_list(ctx, bureau, 2027)] == ["INST-B"]
    assert inspection_list(ctx, bureau, 2026) == []
    sheet = load_workbook(io.BytesIO(inspection_export(ctx, bureau, 2027))).active
    assert [c.value for c in sheet[2]][1:6] == ["泽州县安全培训中心", "INST-B", "2026年第4季度", 40, "差"]
    with pytest.raises(Forbidden):
        inspection_list(ctx, people.actor("inst_a"), 2027)


def _outreach(ctx, actor, kind: str, start: dt.date, categories=("team_leader",)):
    fields = {"enterprise_name": "晋城某化工有限公司", "start_date": start.isoformat(), "end_date": start.isoformat(),
              "mode": "offline", "course": "年度安全再培训", "hours": "8", "kind": kind}
    return outreach.record(ctx, actor, fields, [{"name": f"学员{n}", "category": c} for n, c in enumerate(categories)])


def test_s10_s11_the_yearly_count_counts_only_annual_retraining_of_leaders_and_warns_in_q4(
        deployed, people, fixed_clock):
    ctx, inst = ctx_of(deployed), people.actor("inst_a")
    set_day(fixed_clock, dt.date(2026, 5, 10))
    counted = _outreach(ctx, inst, "annual_retraining", dt.date(2026, 5, 8), ("principal_leader", "safety_manager"))
    full_staff = _outreach(ctx, inst, "full_staff_commissioned", dt.date(2026, 5, 9))
    pre_job = _outreach(ctx, inst, "new_worker_pre_job", dt.date(2026, 5, 9))
    assert counted.counted and not full_staff.counted and not pre_job.counted
    assert "不计入" in full_staff.reason and "不计入" in pre_job.reason
    with pytest.raises(InvalidData) as refused:
        _outreach(ctx, inst, "special_operations", dt.date(2026, 5, 9))
    assert "特种作业" in refused.value.errors["kind"]
    _outreach(ctx, inst, "annual_retraining", dt.date(2025, 11, 1))  # last year's: not this year's count
    counts = {c.institution: c for c in outreach.year_counts(ctx, people.actor("bureau"), 2026)}
    assert counts["晋城安培职业培训学校"].counted == 1 and counts["晋城安培职业培训学校"].minimum == 2
    assert not counts["晋城安培职业培训学校"].warn  # not yet the fourth quarter
    set_day(fixed_clock, dt.date(2026, 10, 8))
    counts = {c.institution: c for c in outreach.year_counts(ctx, people.actor("bureau"), 2026)}
    assert counts["晋城安培职业培训学校"].warn and counts["泽州县安全培训中心"].warn
    _outreach(ctx, inst, "annual_retraining", dt.date(2026, 10, 8))
    [own] = outreach.year_counts(ctx, inst, 2026)
    assert (own.counted, own.warn) == (2, False)


def test_s10_a_record_missing_participants_or_mode_names_the_field(deployed, people, fixed_clock):
    with pytest.raises(InvalidData) as refused:
        outreach.record(ctx_of(deployed), people.actor("inst_a"), {"kind": "annual_retraining"}, [])
    assert {"enterprise_name", "course", "start_date", "end_date", "mode", "hours", "participants"} <= set(
        refused.value.errors)
