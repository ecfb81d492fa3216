"""Exam batches: the issuance family's published operations for other families (S4, S5, S6).

Another family (enterprises) examines people it holds on its own records — a suspended enterprise's staff, team
leaders, rescue-team members — on the same ``exam_with_resit`` process and the same score pages. It does so through
these registered operators, never by importing this package: ``exam.open_batch`` makes an exam-only class with a
sitting, ``exam.batch_results`` reads the decided results, ``training.issue_certificates`` numbers certificates
(team leaders per jurisdiction, S4) and ``certificates.current`` finds a holder's current certificate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from adapters.rules.catalogue import job_type_label
from adapters.services.issuance.context import get_class, repo
from adapters.services.issuance.reference import Reference
from adapters.services.platform.context import active_uow
from adapters.services.platform.errors import InvalidData
from storage.models import utcnow
from storage.models_issuance import ExamSitting, Trainee, TrainingClass

EXAM_KINDS = ("exam_site", "exam_centre")  # the exam centre examines rescue-team members (S6)


def open_batch(*, organisation_id: int, issuing_organisation_id: int, job_type: str, training_kind: str,
               class_no: str, people: Sequence[dict[str, Any]], exam_site_id: int, exam_date: str,
               now: dt.datetime | None = None) -> dict[str, Any]:
    """Create an exam-only class of ``people`` (name, id_number) with its sitting, in the running step.

    Returns exactly the inputs of ``exam_with_resit`` (class, day, site, pass mark).
    """
    now = now or utcnow()
    uow = active_uow()
    training = repo(uow)
    day = dt.date.fromisoformat(str(exam_date)[:10])
    site = training.organisation(int(exam_site_id))
    if site is None or site.kind not in EXAM_KINDS or not site.active:
        raise InvalidData({"exam_site_id": f"机构 {exam_site_id} 不是有效的考点"})
    if not people:
        raise InvalidData({"people": "没有需要参加考试的人员"})
    pass_mark = int(Reference(training).rule("exam_pass_mark", day))
    cls = TrainingClass(class_no=class_no[:40], institution_id=int(organisation_id),
                        issuing_organisation_id=int(issuing_organisation_id), job_type=job_type,
                        training_kind=training_kind, start_date=day, end_date=day, status="scheduled",
                        location=site.name[:200], exam_only=True, created_at=now)
    training.add(cls)
    training.add_all([Trainee(class_id=cls.id, name=str(p["name"])[:50], id_number=str(p["id_number"]),
                              education="", job_type=job_type, training_kind=training_kind,
                              employer=str(p.get("employer", ""))[:100], created_at=now) for p in people])
    training.add(ExamSitting(class_id=cls.id, exam_site_id=site.id, exam_date=day, pass_mark=pass_mark,
                             scheduled_at=now))
    return {"class_id": cls.id, "class_no": cls.class_no, "exam_date": day.isoformat(), "exam_site_id": site.id,
            "exam_site_name": site.name, "pass_mark": pass_mark, "job_type_label": job_type_label(job_type)}


def batch_results(class_id: int) -> dict[str, tuple[str, str]]:
    """The decided result of every candidate of a batch: ID number → (passed/failed/pending, reason)."""
    training = repo(active_uow())
    get_class(training, int(class_id))
    return {t.id_number: (t.result, t.result_reason) for t in training.trainees(int(class_id))}


def current_certificate(id_number: str, job_type: str) -> dict[str, Any] | None:
    """The holder's newest certificate of the job type issued on the platform, or None."""
    training = repo(active_uow())
    found = training.certificates_of_holder(id_number, job_type)
    if not found:
        return None
    cert = found[0]
    return {"number": cert.number, "holder_name": cert.holder_name, "valid_until": cert.valid_until.isoformat(),
            "issue_date": cert.issue_date.isoformat(), "issuing_organisation_id": cert.issuing_organisation_id}


def batch_certificates(class_id: int) -> dict[str, str]:
    """Certificate numbers issued for a batch, by the holder's ID number."""
    training = repo(active_uow())
    return {c.id_number: c.number for c in training.certificates(int(class_id))}


def operators() -> dict[str, Any]:
    return {"exam.open_batch": open_batch, "exam.batch_results": batch_results,
            "certificates.current": current_certificate, "certificates.of_batch": batch_certificates}
