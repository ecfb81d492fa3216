"""What the class page, the score grid and the certificate record show (no Flask here).

Each page is gathered from the training use cases; what the actor may do is decided by the same access rules
the use cases enforce, so a button is shown exactly when its action would be accepted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.render.xlsx import ABSENT
from adapters.rules.documents import class_archive_items, exam_archive_items
from adapters.services.issuance import archive, issuance, passwords, scores, views
from adapters.services.issuance.context import (
    EDITABLE_STATUSES,
    IssuanceContext,
    read,
    reading,
    require_bureau,
    require_institution,
    require_site,
    visible_class,
)
from adapters.services.issuance.scores import CELLS, ScoreEntry, cell_name
from adapters.services.platform import instances, jobs, tasks
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, InvalidData, NotFound, ServiceError

CELL_NAMES = tuple(cell_name(part, kind) for part, kind in CELLS)
ABSENT_WORDS = ("缺考", "缺", "absent", ABSENT)
Files = dict[str, list[views.FileRow]]


@dataclass(frozen=True)
class Abilities:
    """What the actor may do on the class page now."""

    edit_archive: bool  # the institution, while the archive is being prepared (A1.1, A1.2)
    institution: bool
    bureau: bool
    site: bool  # the exam site the class is assigned to
    site_uploads: bool  # the site, while the exam archive may change (A1.4)
    receipts: bool  # the institution, once certificates were handed over


@dataclass(frozen=True)
class OpenTask:
    id: str
    bpmn_id: str
    title: str
    due_date: dt.date | None
    readable: bool
    workable: bool


@dataclass(frozen=True)
class ClassPage:
    overview: views.ClassOverview
    may: Abilities
    rounds: list[archive.RoundView]
    certificates: list[issuance.CertificateRow]
    sheet: scores.ScoreSheet | None
    password: passwords.PasswordView | None
    trainee_files: dict[int, Files]
    class_files: Files
    exam_files: Files
    instance_visible: bool
    open_tasks: list[OpenTask]
    pdf_job: jobs.JobView | None  # the job rendering the certificate PDFs (progress), once certificates exist

    class_items: list[tuple[str, str]]  # A1.1 items (key, label)
    exam_items: list[tuple[str, str]]  # A1.4 items (key, label)
    archive_of: dict[int, archive.TraineeFile]  # trainee id → A1.2 completeness
    scores_of: dict[int, scores.CandidateScores]  # trainee id → grid row


def _allowed(check: Callable[[], object]) -> bool:
    try:
        check()
    except ServiceError:
        return False
    return True


def _grouped(rows: Sequence[views.FileRow]) -> Files:
    files: Files = defaultdict(list)
    for row in rows:
        files[row.key].append(row)
    return dict(files)


def _gather(ctx: IssuanceContext, actor: Actor, class_id: int) -> tuple[Abilities, dict[int, Files], bool]:
    """Abilities, every trainee's files and whether the class has an exam, in one read."""
    with reading(ctx) as (_uow, training):
        cls = visible_class(training, actor, class_id)
        sitting = training.sitting(class_id)
        institution = _allowed(lambda: require_institution(actor, cls))
        site = _allowed(lambda: require_site(actor, sitting, cls))
        may = Abilities(edit_archive=institution and cls.status in EDITABLE_STATUSES, institution=institution,
                        bureau=_allowed(lambda: require_bureau(actor, cls)), site=site,
                        site_uploads=site and cls.status in ("scheduled", "examined"),
                        receipts=institution and cls.delivered_on is not None and cls.status == "delivered")
        labels = archive.all_item_labels()
        files = {t.id: _grouped([views.FileRow(link.requirement_key, labels.get(link.requirement_key, ""), doc.id,
                                               doc.filename, link.added_at)
                                 for link, doc in training.trainee_documents(t.id)])
                 for t in training.trainees(class_id)}
        return may, files, sitting is not None


def _open_tasks(ctx: IssuanceContext, actor: Actor, instance_id: int | None) -> tuple[bool, list[OpenTask]]:
    if instance_id is None:
        return False, []
    try:
        view = instances.show_instance(ctx.platform, actor, instance_id)
    except NotFound:
        return False, []
    return True, [OpenTask(t.id, t.bpmn_id, t.title, t.due_date, tasks.may_see_task(actor, t),
                           tasks.may_work_on(actor, t)) for t in view.active_tasks]


def certificate_job(ctx: IssuanceContext, class_id: int) -> jobs.JobView | None:
    """The latest certificate-PDF job of a class (the caller has checked that the actor may see the class)."""
    return jobs.latest(ctx.platform, f"class:{class_id}", issuance.RENDER_CERTIFICATES)


def certificate_progress(ctx: IssuanceContext, actor: Actor, class_id: int) -> jobs.JobView | None:
    """The certificate-PDF job of a class the actor may see (NotFound otherwise): the class page polls it."""
    with reading(ctx) as (_uow, training):
        visible_class(training, actor, class_id)
    return certificate_job(ctx, class_id)


def class_page(ctx: IssuanceContext, actor: Actor, class_id: int) -> ClassPage:
    """Everything the class page shows; NotFound for a class the actor may not see."""
    may, trainee_files, examined = _gather(ctx, actor, class_id)
    overview = views.class_overview(ctx, actor, class_id)
    password = passwords.exam_password_view(ctx, actor, class_id) if may.bureau or may.site else None
    visible, open_tasks = _open_tasks(ctx, actor, overview.summary.instance_id)
    sheet = scores.score_sheet(ctx, actor, class_id) if examined else None
    return ClassPage(
        overview=overview, may=may, rounds=archive.archive_rounds(ctx, actor, class_id),
        certificates=issuance.class_certificates(ctx, actor, class_id), sheet=sheet, password=password,
        trainee_files=trainee_files, class_files=_grouped(views.class_files(ctx, actor, class_id)),
        exam_files=_grouped(views.class_files(ctx, actor, class_id, archive.EXAM_STAGE)) if examined else {},
        instance_visible=visible, open_tasks=open_tasks, pdf_job=certificate_job(ctx, class_id),
        class_items=class_archive_items(),
        exam_items=exam_archive_items(),
        archive_of={t.trainee_id: t for t in overview.archive.trainees},
        scores_of={row.trainee_id: row for row in sheet.rows} if sheet else {})


# -- the score grid (S3) ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScorePage:
    sheet: scores.ScoreSheet
    site: bool
    class_no: str
    exam_site_name: str


def score_page(ctx: IssuanceContext, actor: Actor, class_id: int) -> ScorePage:
    with reading(ctx) as (_uow, training):
        cls = visible_class(training, actor, class_id)
        sitting = training.sitting(class_id)
        if sitting is None:
            raise NotFound(f"期次 {cls.class_no} 尚未安排考试")
        site = _allowed(lambda: require_site(actor, sitting, cls))
        site_org = training.organisation(sitting.exam_site_id)
        class_no, site_name = cls.class_no, site_org.name if site_org else ""
    return ScorePage(scores.score_sheet(ctx, actor, class_id), site, class_no, site_name)


def parse_score(text: str) -> tuple[scores.Score, str | None]:
    """A typed cell: a score 0–100, 缺考, or nothing; with a Chinese problem when it is none of these."""
    value = text.strip()
    if not value:
        return None, None
    if value in ABSENT_WORDS:
        return ABSENT, None
    try:
        number = float(value)
    except ValueError:
        return None, f"“{value}”不是分数：请填写 0–100 的分数或“缺考”"
    if not 0 <= number <= 100:
        return None, f"分数 {value} 超出 0–100"
    return number, None


def record_grid(ctx: IssuanceContext, actor: Actor, class_id: int,
                cells: Mapping[int, Mapping[str, str]]) -> scores.ScoreSheet:
    """Record the typed grid (trainee id → cell name → text); errors are keyed ``<trainee id>.<cell>``."""
    entries: list[ScoreEntry] = []
    errors: dict[str, str] = {}
    for trainee_id, typed in cells.items():
        values: dict[str, scores.Score] = {}
        for name in CELL_NAMES:
            value, problem = parse_score(typed.get(name, ""))
            if problem:
                errors[f"{trainee_id}.{name}"] = problem
            elif value is not None:
                values[name] = value
        if values:
            entries.append(ScoreEntry(trainee_id, **values))  # type: ignore[arg-type]
    if errors:
        raise InvalidData(errors, "成绩有误，本次未保存任何成绩")
    if not entries:
        raise InvalidData({"rows": "没有填写任何成绩"}, "没有可保存的成绩")
    try:
        return scores.record_scores(ctx, actor, class_id, entries)
    except InvalidData as err:
        raise InvalidData(_by_trainee(err.errors, entries), str(err)) from err


def _by_trainee(errors: Mapping[str, str], entries: Sequence[ScoreEntry]) -> dict[str, str]:
    """``rows[i].theory_resit`` (i = position in the batch) → ``<trainee id>.theory_resit``."""
    keyed = {}
    for key, message in errors.items():
        if key.startswith("rows[") and "]" in key and key[5:key.index("]")].isdigit():
            index = int(key[5:key.index("]")])
            cell = key.split(".", 1)[-1]
            keyed[f"{entries[index].trainee_id}.{cell}" if index < len(entries) else key] = message
        else:
            keyed[key] = message
    return keyed


# -- the certificate record ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CertificateRecord:
    certificate: issuance.CertificateRow
    class_no: str
    class_visible: bool
    institution_name: str
    issuer_name: str
    training_kind: str


def certificate_record(ctx: IssuanceContext, actor: Actor, *, certificate_id: int | None = None,
                       code: str = "") -> CertificateRecord:
    """The record a certificate's QR code resolves to: staff with a reason to see it, 404 for anyone else."""
    if certificate_id is not None:
        # By id (guessable) only within one's own jurisdiction; the unguessable QR code is for all bureau staff.
        def code_if_visible(_uow: Any, training: Any) -> str:
            cert = training.certificate(certificate_id)
            cls = training.training_class(cert.class_id) if cert else None
            if cert is None or cls is None or not (actor.is_admin or actor.sees_organisation(cls.institution_id)
                                                   or actor.sees_organisation(cert.issuing_organisation_id)):
                return ""
            return str(cert.verify_code)

        code = read(ctx, code_if_visible)
    try:
        row = issuance.certificate_by_code(ctx, actor, code)
    except Forbidden as err:
        raise NotFound("证书不存在") from err
    with reading(ctx) as (_uow, training):
        cls = training.training_class(row.class_id)
        cert = training.certificate(row.id)
        assert cls is not None and cert is not None
        institution = training.organisation(cls.institution_id)
        issuer = training.organisation(cert.issuing_organisation_id)
        visible = actor.is_admin or actor.sees_organisation(cls.institution_id)
        return CertificateRecord(row, cls.class_no, visible, institution.name if institution else "",
                                 issuer.name if issuer else "", cert.training_kind)
