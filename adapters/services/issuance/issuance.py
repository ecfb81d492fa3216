"""Issuance (S2, S4): certificate numbers, electronic certificate PDFs, delivery to the institution, receipts."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from adapters.render.certificates import TITLE_MANAGEMENT, TITLE_SPECIAL_OPERATIONS, CertificateView
from adapters.rules.catalogue import TEAM_LEADER, is_special_operation, job_type_label
from adapters.rules.certnumbers import special_operations_number, team_leader_number
from adapters.rules.documents import TRAINING_KINDS
from adapters.rules.idnumbers import mask_id_number, normalise_id_number
from adapters.rules.rulebook import RuleNotInForceError, certificate_dates
from adapters.services.issuance.context import (
    BUREAU_ROLE,
    CERTIFICATE_VERIFY_PATH,
    IssuanceContext,
    get_class,
    reading,
    require_institution,
    unit,
    visible_class,
)
from adapters.services.issuance.deadlines import close_deadline, open_deadline
from adapters.services.issuance.reference import Reference
from adapters.services.platform import jobs
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from storage.models_issuance import Certificate, Trainee, TrainingClass
from storage.repositories.issuance import IssuanceRepository
from storage.uow import UnitOfWork

TITLE_TEAM_LEADER = "班组长安全生产知识考核合格证"
SYSTEM_USERNAME = "system"
RENDER_CERTIFICATES = "issuance.render_certificates"  # the job that renders a class's certificate PDFs
GENDERS = {"male": "男", "female": "女"}


def certificate_title(job_type: str) -> str:
    if is_special_operation(job_type):
        return TITLE_SPECIAL_OPERATIONS
    return TITLE_TEAM_LEADER if job_type == TEAM_LEADER else TITLE_MANAGEMENT


def mask_certificate_number(number: str) -> str:
    """Certificate numbers built from an ID number are masked like the ID in lists (T140502********1234)."""
    if number.startswith("T") and len(number) == 19:
        return "T" + mask_id_number(number[1:])
    return mask_id_number(number) if len(number) == 18 else number


def _number(uow: UnitOfWork, trainee: Trainee, division_code: str, issue_date: dt.date) -> str:
    if is_special_operation(trainee.job_type):
        return special_operations_number(trainee.id_number)
    if trainee.job_type == TEAM_LEADER:
        # Gap-free per numbering bureau and year; the sequence row stays locked until the step commits (S4).
        sequence = uow.reference.next_number(f"team_leader:{division_code}:{issue_date.year}")
        return team_leader_number(division_code, issue_date.year, sequence)
    # 考核合格证 of principal leaders and safety managers: numbered by the holder's ID number (an assumption
    # to confirm with the bureau; the measure does not say).
    return normalise_id_number(trainee.id_number)


def issuance_problems(ctx: IssuanceContext, training: IssuanceRepository, class_id: int) -> dict[str, str]:
    """Why certificates cannot be issued today: a rule value missing for a job type, or no passer at all."""
    today = ctx.today()
    rulebook = Reference(training).rulebook()
    errors = {}
    passers = [t for t in training.trainees(class_id) if t.result == "passed"]
    for job_type in sorted({t.job_type for t in passers}):
        try:
            certificate_dates(today, job_type, rulebook)
        except (RuleNotInForceError, ValueError) as err:
            errors[f"rule_{job_type}"] = f"{job_type_label(job_type)}：{err}"
    cls = get_class(training, class_id)
    issuer = training.organisation(cls.issuing_organisation_id)
    if issuer is None or not issuer.division_code:
        errors["issuing_organisation"] = "发证机关没有行政区划代码，无法编制证书编号"
    return errors


def issue_certificates(ctx: IssuanceContext, uow: UnitOfWork, training: IssuanceRepository, class_id: int) -> int:
    """Number a certificate for every passed trainee without one (in the step's transaction).

    The PDFs are rendered by a background job written in this transaction (``RENDER_CERTIFICATES``, handled by
    ``certificate_pdfs.render_class_job``), one certificate per short transaction: rendering takes a fraction of a
    second per trainee, and holding the instance lock — on SQLite the database write lock — for the whole class
    would stall everyone else.
    """
    errors = issuance_problems(ctx, training, class_id)
    if errors:
        raise InvalidData(errors, "无法生成证书")
    cls = get_class(training, class_id, lock=True)
    issuer = training.organisation(cls.issuing_organisation_id)
    assert issuer is not None and issuer.division_code
    done = {c.trainee_id for c in training.certificates(class_id)}
    today, rulebook = ctx.today(), Reference(training).rulebook()
    issued = 0
    for trainee in training.trainees(class_id):
        if trainee.result != "passed" or trainee.id in done:
            continue
        valid_until, review_due = certificate_dates(today, trainee.job_type, rulebook)
        training.add(Certificate(number=_number(uow, trainee, issuer.division_code, today), trainee_id=trainee.id,
                                 class_id=cls.id, holder_name=trainee.name, id_number=trainee.id_number,
                                 job_type=trainee.job_type, training_kind=trainee.training_kind,
                                 issuing_organisation_id=issuer.id, issue_date=today, valid_until=valid_until,
                                 review_due=review_due, verify_code=secrets.token_hex(16),
                                 created_at=ctx.platform.now()))
        issued += 1
    close_deadline(training, class_id, "issuance", today)
    cls.status = "issued"
    jobs.enqueue(uow, RENDER_CERTIFICATES, {"class_id": class_id}, subject=f"class:{class_id}",
                 key=f"certificates:{class_id}")
    return issued


def certificate_view(ctx: IssuanceContext, cert: Certificate, trainee: Trainee, cls: TrainingClass, issuer: str,
                     institution: str) -> CertificateView:
    return CertificateView(
        number=cert.number, holder_name=cert.holder_name, id_number_masked=mask_id_number(cert.id_number),
        gender=GENDERS.get(trainee.gender, ""), job_type_label=job_type_label(cert.job_type),
        training_kind_label=TRAINING_KINDS.get(cert.training_kind, ""), issuing_authority=issuer,
        issue_date=cert.issue_date, valid_until=cert.valid_until, review_due=cert.review_due,
        class_no=cls.class_no, institution_name=institution,
        verify_url=ctx.public_url + CERTIFICATE_VERIFY_PATH.format(code=cert.verify_code))


def record_delivery(training: IssuanceRepository, class_id: int, delivered_on: dt.date,
                    delivered_to: str) -> dt.date:
    """The bureau handed the physical certificates to the institution; the 2-working-day receipt window opens."""
    cls = get_class(training, class_id, lock=True)
    cls.delivered_on, cls.delivered_to = delivered_on, delivered_to[:100]
    close_deadline(training, class_id, "delivery", delivered_on)
    receipt = open_deadline(training, cls, "receipt", cls.institution_id, delivered_on)
    cls.status = "delivered"
    return receipt.due_date


@dataclass(frozen=True)
class Receipt:
    certificate_id: int
    received_on: dt.date
    note: str = ""


def record_receipts(ctx: IssuanceContext, actor: Actor, class_id: int, receipts: Sequence[Receipt]) -> int:
    """The institution records which trainees received their certificates, and when (all or none)."""
    today = ctx.today()
    with unit(ctx) as (uow, training):
        cls = get_class(training, class_id, lock=True)
        require_institution(actor, cls)
        if cls.delivered_on is None:
            raise Conflict(f"期次 {cls.class_no} 的证书尚未交付培训机构")
        certificates = {c.id: c for c in training.certificates(class_id)}
        errors = {}
        for index, receipt in enumerate(receipts):
            cert = certificates.get(receipt.certificate_id)
            if cert is None:
                errors[f"receipts[{index}].certificate_id"] = "不是本期次的证书"
            elif not cls.delivered_on <= receipt.received_on <= today:
                errors[f"receipts[{index}].received_on"] = (
                    f"{cert.holder_name}：领取日期应在证书交付日（{cls.delivered_on.isoformat()}）与今天之间")
        if errors:
            raise InvalidData(errors, "领证记录有误，未保存")
        for receipt in receipts:
            cert = certificates[receipt.certificate_id]
            cert.received_on, cert.received_note = receipt.received_on, receipt.note[:200]
        uow.audit.record("certificate.receipt", user_id=actor.user_id, username=actor.username,
                         entity="training_class", entity_id=cls.id, detail={"count": len(receipts)})
        uow.commit()
        return len(receipts)


def receipt_problems(training: IssuanceRepository, class_id: int) -> dict[str, str]:
    waiting = [c.holder_name for c in training.certificates(class_id) if c.received_on is None]
    if waiting:
        return {"confirmed": "尚未登记领证的学员：" + "、".join(waiting)}
    return {}


def close_receipts(ctx: IssuanceContext, training: IssuanceRepository, class_id: int) -> None:
    cls = get_class(training, class_id, lock=True)
    days = [c.received_on for c in training.certificates(class_id) if c.received_on is not None]
    close_deadline(training, class_id, "receipt", max(days) if days else ctx.today())
    cls.status = "closed"


# -- reading ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CertificateRow:
    id: int
    number: str
    number_masked: str
    holder_name: str
    id_number_masked: str
    job_type_label: str
    issue_date: dt.date
    valid_until: dt.date
    review_due: dt.date | None
    document_id: int | None
    received_on: dt.date | None
    class_id: int
    verify_code: str


def _row(cert: Certificate) -> CertificateRow:
    return CertificateRow(cert.id, cert.number, mask_certificate_number(cert.number), cert.holder_name,
                          mask_id_number(cert.id_number), job_type_label(cert.job_type), cert.issue_date,
                          cert.valid_until, cert.review_due, cert.document_id, cert.received_on, cert.class_id,
                          cert.verify_code)


def class_certificates(ctx: IssuanceContext, actor: Actor, class_id: int) -> list[CertificateRow]:
    """Certificates of a class (lists show ``number_masked``)."""
    with reading(ctx) as (_uow, training):
        visible_class(training, actor, class_id)
        return [_row(c) for c in training.certificates(class_id)]


def certificate_by_code(ctx: IssuanceContext, actor: Actor, code: str) -> CertificateRow:
    """The record a certificate's QR code points to, for signed-in staff only (no public lookup; audited)."""
    with unit(ctx) as (uow, training):
        cert = training.certificate_by_code(code) if len(code) == 32 else None
        if cert is None:
            raise NotFound("证书不存在")
        cls = get_class(training, cert.class_id)
        staff = actor.is_admin or actor.has_role(BUREAU_ROLE) or actor.has_role("county_bureau")
        if not (staff or actor.sees_organisation(cls.institution_id)
                or actor.sees_organisation(cert.issuing_organisation_id)):
            uow.audit.record("certificate.verify", user_id=actor.user_id or None, username=actor.username,
                             result="denied", entity="certificate", entity_id=cert.id)
            uow.commit()
            raise Forbidden("您无权查看此证书记录")
        uow.audit.record("certificate.verify", user_id=actor.user_id or None, username=actor.username,
                         entity="certificate", entity_id=cert.id)
        uow.commit()
        return _row(cert)
