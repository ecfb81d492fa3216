"""Electronic certificate PDFs, rendered by a background job after the issuance step commits.

The issuance step writes a ``issuance.render_certificates`` job in its own transaction; a job worker renders each
certificate in its own short transaction, so a class of any size never holds a lock while WeasyPrint works, the
class page shows the job's progress, and a crash half-way leaves the rest to the job's next attempt (it skips
certificates that already have their PDF) or to ``flask --app wsgi certificates render``.
"""

from __future__ import annotations

import io
import uuid

from adapters.render.certificates import render_certificate_pdf
from adapters.services.issuance.context import IssuanceContext, unit
from adapters.services.issuance.issuance import SYSTEM_USERNAME, certificate_title, certificate_view
from adapters.services.platform.jobs import JobRun
from storage.models import Document
from storage.models_issuance import Certificate
from storage.objects import PDF, StoredObject, safe_key

PDF_LIMIT = 20 * 1024 * 1024


def render_pending(ctx: IssuanceContext, class_id: int | None = None) -> int:
    """Render and store the PDF of every certificate (of one class, or all) that has none yet; returns the count."""
    with unit(ctx) as (_uow, training):
        pending = [c.id for c in training.certificates_without_pdf(class_id)]
    return sum(_render_one(ctx, certificate_id) for certificate_id in pending)


def render_class_job(ctx: IssuanceContext, run: JobRun) -> None:
    """The job: render the class's missing PDFs, reporting progress; idempotent (rendered ones are skipped)."""
    class_id = int(run.payload["class_id"])
    with unit(ctx) as (_uow, training):
        total = len(training.certificates(class_id))
        pending = [c.id for c in training.certificates_without_pdf(class_id)]
    done = total - len(pending)
    run.progress(done, total)
    for certificate_id in pending:
        _render_one(ctx, certificate_id)
        done += 1
        run.progress(done, total)


def _render_one(ctx: IssuanceContext, certificate_id: int) -> int:
    with unit(ctx) as (_uow, training):
        cert = training.certificate(certificate_id)
        if cert is None or cert.document_id is not None:
            return 0
        trainee, cls = training.trainee(cert.trainee_id), training.training_class(cert.class_id)
        issuer = training.organisation(cert.issuing_organisation_id)
        assert trainee is not None and cls is not None and issuer is not None
        institution = training.organisation(cls.institution_id)
        view = certificate_view(ctx, cert, trainee, cls, issuer.name, institution.name if institution else "")
        title, instance_id = certificate_title(cert.job_type), cls.instance_id
    pdf = render_certificate_pdf(view, title=title)  # outside any transaction: this is the slow part
    now = ctx.platform.now()
    stored = ctx.objects.put(safe_key("certificates", f"{now:%Y}", f"{now:%m}", uuid.uuid4().hex), io.BytesIO(pdf),
                             content_type=PDF, max_bytes=PDF_LIMIT)
    try:
        return _attach(ctx, certificate_id, instance_id, stored)
    except BaseException:
        ctx.objects.delete(stored.key)
        raise


def _attach(ctx: IssuanceContext, certificate_id: int, instance_id: int | None, stored: StoredObject) -> int:
    with unit(ctx) as (uow, training):
        cert: Certificate | None = training.certificate(certificate_id, lock=True)
        if cert is None or cert.document_id is not None:  # another worker was faster
            ctx.objects.delete(stored.key)
            return 0
        system_id = training.ensure_user(SYSTEM_USERNAME, "系统（自动生成）", cert.issuing_organisation_id)
        document = uow.documents.add(Document(
            organisation_id=cert.issuing_organisation_id, instance_id=instance_id, kind="certificate",
            filename=f"certificate-{cert.id}.pdf", content_type=PDF, size=stored.size, sha256=stored.sha256,
            object_key=stored.key, uploaded_by_id=system_id, uploaded_at=ctx.platform.now()))
        cert.document_id = document.id
        uow.commit()
        return 1
