"""Who sees a class: the institution, the bureau over it and the exam site it is assigned to; another institution
gets 404 for the class, its pages, its documents and its certificates (personal information, DOMAIN.md)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from adapters.services.issuance import archive, classes, issuance, issuance_context
from tests.e2e.issuance.pages import User
from tests.integration.issuance.certificates_support import issue, pass_everyone
from tests.support.issuance import trainee, upload


@pytest.fixture
def issued(deployed, people, fixed_clock):
    """A class of INST-A with one uploaded ID copy, examined at SITE-1 and certificates issued."""
    ctx = issuance_context(deployed)
    inst = people.actor("inst_a")
    class_id = classes.register_class(ctx, inst, class_no="A-1", job_type="1.2", training_kind="initial",
                                      start_date=dt.date(2026, 3, 2),
                                      end_date=dt.date(2026, 3, 6),
                                      trainees=[trainee(1), trainee(2)])
    classes.start_issuance(ctx, inst, class_id)
    trainee_id = archive.archive_status(ctx, inst, class_id).trainees[0].trainee_id
    document_id = upload(ctx, inst, trainee_id=trainee_id, key="id_card_copy")
    pass_everyone(ctx, people.actor("site"), class_id, fixed_clock)
    issue(ctx, class_id)
    return class_id, trainee_id, document_id


def certificate_ids(page: str) -> list[str]:
    return re.findall(r'<tr data-certificate="([0-9]+)">', page)


def test_another_institution_gets_404_for_the_class_its_documents_and_certificates(issued, as_user, post):
    class_id, trainee_id, document_id = issued
    owner = User(as_user("inst_a"), post)
    certificate = certificate_ids(owner.get(f"/classes/{class_id}"))[0]
    with owner.client.get(f"/files/{document_id}") as own_file:
        assert own_file.status_code == 200
    other = User(as_user("inst_b"), post)
    assert "A-1" not in other.get("/classes/")
    for url in (f"/classes/{class_id}", f"/classes/{class_id}/scores", f"/files/{document_id}",
                f"/files/{document_id}/preview", f"/classes/certificates/{certificate}",
                f"/classes/{class_id}/scores/summary.xlsx"):
        with other.client.get(url) as response:
            assert response.status_code == 404, url
    other.upload(f"/classes/{class_id}/trainees/{trainee_id}/files/diploma_copy", status=404)
    other.upload(f"/classes/{class_id}/files/approval_form", status=404)


def test_the_certificate_qr_path_shows_the_record_to_staff_and_404_to_others(issued, wiring, people, as_user):
    class_id, _trainee_id, _document_id = issued
    code = issuance.class_certificates(issuance_context(wiring), people.actor("bureau"), class_id)[0].verify_code
    bureau = as_user("bureau")
    record = bureau.get(f"/classes/certificates/verify/{code}")
    assert record.status_code == 200 and "晋城市应急管理局" in record.get_data(as_text=True)
    assert as_user("inst_b").get(f"/classes/certificates/verify/{code}").status_code == 404
    assert bureau.get("/classes/certificates/verify/" + "0" * 32).status_code == 404


def test_the_exam_site_sees_only_classes_assigned_to_it(deployed, people, as_user, post):
    ctx = issuance_context(deployed)
    class_id = classes.register_class(ctx, people.actor("inst_a"), class_no="B-1", job_type="1.2",
                                      training_kind="initial", start_date=dt.date(2026, 3, 2),
                                      end_date=dt.date(2026, 3, 6), trainees=[trainee(1)])
    site = User(as_user("site"), post)
    assert "B-1" not in site.get("/classes/")
    site.get(f"/classes/{class_id}", status=404)
    assert "B-1" in User(as_user("bureau"), post).get("/classes/")


def test_only_institution_staff_may_register_a_class(deployed, as_user, post):
    assert as_user("bureau").get("/classes/new").status_code == 403
    assert "登记新期次" not in User(as_user("site"), post).get("/classes/")
    assert 'href="/classes/new"' in User(as_user("inst_a"), post).get("/classes/")


def test_a_county_bureau_cannot_open_certificates_outside_its_tree_by_id(issued, wiring, people, as_user):
    from adapters.services.platform import directory
    from tests.support.platform import PASSWORD

    class_id, _trainee_id, _document_id = issued
    directory.create_user(wiring.platform, username="county", display_name="县局", password=PASSWORD,
                          organisation_code="ZZ", role_keys=["county_bureau"])
    cert = issuance.class_certificates(issuance_context(wiring), people.actor("bureau"), class_id)[0]
    assert as_user("bureau").get(f"/classes/certificates/{cert.id}").status_code == 200
    assert as_user("county").get(f"/classes/certificates/{cert.id}").status_code == 404
