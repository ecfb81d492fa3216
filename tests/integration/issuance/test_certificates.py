"""Certificates (S2, S4): numbers, dates from the rule table, the PDF with Chinese text and a QR code that leads
signed-in staff to the record, and issuance that leaves nothing behind when it fails."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from adapters.services.issuance import issuance
from adapters.services.platform.errors import Forbidden, InvalidData
from tests.integration.issuance.certificates_support import enter_team_leader_validity, issue, pass_everyone
from tests.support.issuance import id_number, name_of, trainee

ISSUED = dt.date(2026, 3, 16)


def pdf_bytes(ctx, document_id: int) -> bytes:
    with ctx.platform.uow() as uow:
        document = uow.documents.get(document_id)
        key = document.object_key
    with ctx.objects.open(key) as stream:
        return stream.read()


def test_s2_a_passer_gets_a_pdf_with_chinese_name_job_type_and_a_qr_code_to_the_record(
        ctx, site, bureau, new_class, fixed_clock):
    class_id = new_class([trainee(1)])
    pass_everyone(ctx, site, class_id, fixed_clock)
    assert issue(ctx, class_id) == 1
    [cert] = issuance.class_certificates(ctx, bureau, class_id)
    assert cert.number == "T" + id_number(1) and cert.number_masked == "T140502********" + id_number(1)[-4:]
    assert (cert.valid_until, cert.review_due) == (dt.date(2032, 3, 16), dt.date(2029, 3, 16))
    data = pdf_bytes(ctx, cert.document_id)
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert name_of(1) in text and "电工作业—低压电工作业" in text and "特种作业操作证" in text
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    [code] = zxingcpp.read_barcodes(image)
    assert code.text == f"http://127.0.0.1:5000/classes/certificates/verify/{cert.verify_code}"
    assert issuance.certificate_by_code(ctx, bureau, cert.verify_code).id == cert.id


def test_the_record_behind_the_qr_code_is_not_shown_to_staff_of_other_institutions(
        ctx, people, site, new_class, fixed_clock):
    class_id = new_class([trainee(1)])
    pass_everyone(ctx, site, class_id, fixed_clock)
    issue(ctx, class_id)
    [cert] = issuance.class_certificates(ctx, people.actor("inst_a"), class_id)
    assert issuance.certificate_by_code(ctx, people.actor("inst_a"), cert.verify_code).id == cert.id
    with pytest.raises(Forbidden):
        issuance.certificate_by_code(ctx, people.actor("inst_b"), cert.verify_code)


def test_leader_certificates_are_valid_three_years_without_review(ctx, site, bureau, new_class, fixed_clock):
    class_id = new_class([trainee(1, job_type="safety_manager", education="bachelor")], job_type="safety_manager")
    pass_everyone(ctx, site, class_id, fixed_clock)
    issue(ctx, class_id)
    [cert] = issuance.class_certificates(ctx, bureau, class_id)
    assert (cert.number, cert.valid_until, cert.review_due) == (id_number(1), dt.date(2029, 3, 16), None)
    text = pypdf.PdfReader(io.BytesIO(pdf_bytes(ctx, cert.document_id))).pages[0].extract_text()
    assert "安全生产知识和管理能力考核合格证" in text and "安全生产管理人员" in text


def test_s4_team_leader_numbers_run_gap_free_per_numbering_bureau_and_year(
        ctx, site, bureau, people, new_class, fixed_clock, wiring):
    enter_team_leader_validity(wiring.platform)
    city_one = new_class([trainee(1, job_type="team_leader"), trainee(2, job_type="team_leader")])
    city_two = new_class([trainee(3, job_type="team_leader")])
    county = new_class([trainee(4, job_type="team_leader")], job_type="team_leader",
                       issuing_organisation_id=people.orgs["ZZ"])
    for class_id in (city_one, city_two, county):
        pass_everyone(ctx, site, class_id, fixed_clock)
        issue(ctx, class_id)
    numbers = [c.number for cid in (city_one, city_two, county) for c in issuance.class_certificates(ctx, bureau, cid)]
    assert numbers == ["BZZ140500-2026-000001", "BZZ140500-2026-000002", "BZZ140500-2026-000003",
                       "BZZ140525-2026-000001"]


def test_s4_team_leader_certificates_wait_for_the_validity_rule_to_be_entered(ctx, site, new_class, fixed_clock, wiring):
    class_id = new_class([trainee(1, job_type="team_leader")])
    pass_everyone(ctx, site, class_id, fixed_clock)
    with pytest.raises(InvalidData) as refused:
        issue(ctx, class_id)
    assert "team_leader_certificate_validity_years" in refused.value.errors["rule_team_leader"]
    enter_team_leader_validity(wiring.platform)
    assert issue(ctx, class_id) == 1


def test_a_failed_rendering_leaves_the_certificate_pending_until_a_later_run_completes_it(
        ctx, site, bureau, new_class, fixed_clock, wiring, monkeypatch):
    from adapters.services.issuance import certificate_pdfs

    enter_team_leader_validity(wiring.platform)
    class_id = new_class([trainee(1, job_type="team_leader"), trainee(2, job_type="team_leader")])
    pass_everyone(ctx, site, class_id, fixed_clock)
    real = certificate_pdfs.render_certificate_pdf
    calls = {"n": 0}

    def second_fails(view, *, title):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("渲染失败")
        return real(view, title=title)

    monkeypatch.setattr(certificate_pdfs, "render_certificate_pdf", second_fails)
    assert issue(ctx, class_id) == 2  # numbers commit with the step; PDFs are rendered after it, one by one
    certificates = issuance.class_certificates(ctx, bureau, class_id)
    assert [c.number[-6:] for c in certificates] == ["000001", "000002"]
    assert [c.document_id is not None for c in certificates] == [True, False]
    files = [p for p in (wiring.settings.object_dir / "certificates").rglob("*") if p.is_file()]
    assert len(files) == 1  # the failed rendering left no orphan file
    monkeypatch.setattr(certificate_pdfs, "render_certificate_pdf", real)
    assert certificate_pdfs.render_pending(ctx) == 1
    assert all(c.document_id for c in issuance.class_certificates(ctx, bureau, class_id))


def test_s4_a_county_cannot_be_the_issuing_authority_of_a_special_operations_class(people, new_class):
    with pytest.raises(InvalidData) as refused:
        new_class([trainee(1)], job_type="1.2", issuing_organisation_id=people.orgs["ZZ"])
    assert "只能是市应急管理局" in refused.value.errors["issuing_organisation_id"]
