"""What the class pages need beyond the training use cases, composed from ``adapters.services.issuance``.

One function per page or action; no Flask here: the class list, registration (the xlsx is read and checked
before anything is stored, so a class with a bad sheet is never created), uploads and the deadline report.
The class page, score grid and certificate record are in ``training_page``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO

from adapters.render.xlsx import RowError, read_trainee_rows
from adapters.render.xlsx_common import Progress
from adapters.rules.catalogue import CATEGORIES, LEADER_JOB_TYPES, operation_types
from adapters.services.issuance import archive, classes, deadlines, views
from adapters.services.issuance.classes import SHEET_COLUMNS, TraineeInput
from adapters.services.issuance.context import (
    BUREAU_ROLE,
    INSTITUTION_ROLE,
    IssuanceContext,
    read,
    reading,
    visible_class,
)
from adapters.services.platform.actors import Actor
from adapters.services.platform.documents import Upload
from adapters.services.platform.errors import InvalidData, NotFound
from storage.repositories.issuance import IssuanceRepository

PAGE_SIZE = 50
REPORT_ROLES = (BUREAU_ROLE, "county_bureau")
# Who answers for a deadline of each kind (S1, S2): the institution, the exam site or the bureau.
RESPONSIBLE = {"class_archive": "institution", "receipt": "institution", "exam_archive": "exam_site",
               "issuance": "bureau", "delivery": "bureau"}


# -- the class list -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClassListRow:
    summary: views.ClassSummary
    pressing: deadlines.DeadlineRow | None  # an overdue deadline, else the next open one
    late: int  # deadlines met, but late


def _pressing(rows: Sequence[deadlines.DeadlineRow]) -> deadlines.DeadlineRow | None:
    overdue = [r for r in rows if r.state == "overdue"]
    if overdue:
        return max(overdue, key=lambda r: r.working_days_late or 0)
    waiting = sorted((r for r in rows if r.state == "open"), key=lambda r: r.due_date)
    return waiting[0] if waiting else None


def class_list(ctx: IssuanceContext, actor: Actor, *, status: str = "", page: int = 1
               ) -> tuple[list[ClassListRow], bool]:
    """One page of the classes the actor works with, each with its most pressing deadline; and whether more follow."""
    page = max(page, 1)
    found = views.list_classes(ctx, actor, status=status or None, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    rows = []
    for summary in found[:PAGE_SIZE]:
        due = deadlines.class_deadlines(ctx, summary.id)
        rows.append(ClassListRow(summary, _pressing(due), sum(1 for r in due if r.state == "late")))
    return rows, len(found) > PAGE_SIZE


# -- registering a class ------------------------------------------------------------------------------
def job_type_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Job types for a grouped select: the leader roles, then each special-operations category with its codes."""
    groups = [("主要负责人、安全生产管理人员、班组长", list(LEADER_JOB_TYPES.items()))]
    for code, name in CATEGORIES.items():
        groups.append((f"{code} {name}", [(op.code, f"{op.code} {op.name}") for op in operation_types(code)]))
    return groups


def issuing_bureaus(ctx: IssuanceContext) -> list[tuple[int, str]]:
    """Bureaus that may number certificates (the city, or a county for enterprises it supervises, S4)."""
    with ctx.platform.reader() as uow:
        return [(o.id, o.name) for kind in ("city_bureau", "county_bureau")
                for o in uow.directory.organisations(kind) if o.active and o.division_code]


@dataclass(frozen=True)
class SheetTrainees:
    """Trainees read from the import sheet with the sheet row of each, or every problem found."""

    items: list[TraineeInput]
    rows: list[int]
    errors: list[RowError]


def read_trainee_sheet(stream: bytes | IO[bytes], progress: Progress | None = None) -> SheetTrainees:
    """Read and check the trainee sheet (nothing is stored); ``progress(done, total)`` follows the rows."""
    result = read_trainee_rows(stream, job_types=classes.job_type_choices(), max_rows=classes.MAX_TRAINEES,
                               progress=progress)
    if not result.ok:
        return SheetTrainees([], [], list(result.errors))
    items = [classes.trainee_from_sheet_row(r) for r in result.rows]
    if not items:
        return SheetTrainees([], [], [RowError(0, "", "文件中没有学员数据")])
    return SheetTrainees(items, [r["row"] for r in result.rows], [])


def sheet_errors(errors: Mapping[str, str], rows: Sequence[int]) -> tuple[list[RowError], dict[str, str]]:
    """Split use-case errors into sheet rows (``trainees[i].field`` → row, column) and the other fields."""
    found, other = [], {}
    for key, message in errors.items():
        index, field = trainee_key(key)
        if index is None:
            other[key] = message
        else:
            found.append(RowError(rows[index] if index < len(rows) else 0, SHEET_COLUMNS.get(field, field), message))
    return sorted(found, key=lambda e: e.row), other


def trainee_key(key: str) -> tuple[int | None, str]:
    """``trainees[3].id_number`` → (3, "id_number"); other keys → (None, key)."""
    if key.startswith("trainees[") and "]" in key:
        index = key[len("trainees["):key.index("]")]
        if index.isdigit():
            return int(index), key.split(".", 1)[-1] if "." in key else ""
    return None, key


@dataclass(frozen=True)
class ClassForm:
    class_no: str
    job_type: str
    training_kind: str
    start_date: dt.date | None
    end_date: dt.date | None
    issuing_organisation_id: int | None = None
    location: str = ""


@dataclass(frozen=True)
class Registration:
    """The new class and its process; ``start_problem`` says why the process did not start (start it later)."""

    class_id: int
    instance_id: int | None
    start_problem: str


def register(ctx: IssuanceContext, actor: Actor, form: ClassForm, trainees: Sequence[TraineeInput]) -> Registration:
    """Register the class with all its trainees (all or nothing), then start its certificate-issuance process."""
    missing = {name: "请填写日期" for name in ("start_date", "end_date") if getattr(form, name) is None}
    if not form.location.strip():
        missing["location"] = "请填写培训地点"
    if not trainees:
        missing["trainees"] = "请逐行填写学员，或导入学员信息表"
    if missing:
        raise InvalidData(missing, "期次信息有误")
    assert form.start_date is not None and form.end_date is not None
    class_id = classes.register_class(ctx, actor, class_no=form.class_no, job_type=form.job_type,
                                      training_kind=form.training_kind, start_date=form.start_date,
                                      end_date=form.end_date, trainees=trainees,
                                      issuing_organisation_id=form.issuing_organisation_id, location=form.location)
    return start(ctx, actor, class_id)


def start(ctx: IssuanceContext, actor: Actor, class_id: int) -> Registration:
    """Start the issuance process of a registered class; a refusal is returned, the class stays."""
    try:
        instance_id = classes.start_issuance(ctx, actor, class_id)
    except (InvalidData, NotFound) as err:
        detail = "；".join(err.errors.values()) if isinstance(err, InvalidData) else ""
        return Registration(class_id, None, f"{err}{'：' + detail if detail else ''}")
    return Registration(class_id, instance_id, "")


def import_more(ctx: IssuanceContext, actor: Actor, class_id: int, sheet: SheetTrainees) -> list[RowError]:
    """Add the sheet's trainees to a class being prepared; every problem by row, and then none are added."""
    read(ctx, lambda _uow, training: visible_class(training, actor, class_id))  # 404 before any 403
    if sheet.errors:
        return sheet.errors
    try:
        classes.add_trainees(ctx, actor, class_id, sheet.items)
    except InvalidData as err:
        rows, other = sheet_errors(err.errors, sheet.rows)
        return rows + [RowError(0, "", message) for message in other.values()]
    return []


# -- uploads -------------------------------------------------------------------------------------
def attach_trainee_files(ctx: IssuanceContext, actor: Actor, class_id: int, trainee_id: int, requirement_key: str,
                         uploads: Sequence[Upload]) -> int:
    """File uploads in a trainee's A1.2 file under one requirement; returns how many were stored."""
    def owner(_uow: object, training: IssuanceRepository) -> int | None:
        visible_class(training, actor, class_id)  # 404 for a class the actor may not see, before any 403
        trainee = training.trainee(trainee_id)
        return trainee.class_id if trainee else None

    if read(ctx, owner) != class_id:
        raise NotFound(f"期次 {class_id} 没有学员 {trainee_id}")
    if not uploads:
        raise InvalidData({"file": "请选择要上传的文件"})
    for upload in uploads:
        archive.attach_trainee_document(ctx, actor, trainee_id, requirement_key, upload)
    return len(uploads)


def attach_class_files(ctx: IssuanceContext, actor: Actor, class_id: int, item_key: str,
                       uploads: Sequence[Upload]) -> int:
    """File uploads as one class-level item (A1.1 by the institution, A1.4 by the exam site)."""
    read(ctx, lambda _uow, training: visible_class(training, actor, class_id))  # 404 before any 403
    if not uploads:
        raise InvalidData({"file": "请选择要上传的文件"})
    for upload in uploads:
        archive.attach_class_document(ctx, actor, class_id, item_key, upload)
    return len(uploads)


@dataclass(frozen=True)
class SheetRegistration:
    """A registration from the import sheet: the class, or every problem by sheet row and by form field."""

    registration: Registration | None
    row_errors: list[RowError]
    field_errors: dict[str, str]


def register_sheet(ctx: IssuanceContext, actor: Actor, form: ClassForm, sheet: SheetTrainees) -> SheetRegistration:
    """Register a class whose trainees come from a checked sheet; nothing is stored unless every row is valid."""
    if sheet.errors:
        return SheetRegistration(None, sheet.errors, {})
    try:
        return SheetRegistration(register(ctx, actor, form, sheet.items), [], {})
    except InvalidData as err:
        rows, other = sheet_errors(err.errors, sheet.rows)
        return SheetRegistration(None, rows, other)


def may_register(actor: Actor) -> bool:
    """Only institution staff register classes (their own institution's)."""
    return actor.has_role(INSTITUTION_ROLE)


def class_defaults(ctx: IssuanceContext, actor: Actor, class_id: int) -> tuple[str, str]:
    """The class's job type and training kind: what a trainee row left blank takes."""
    with reading(ctx) as (_uow, training):
        cls = visible_class(training, actor, class_id)
        return cls.job_type, cls.training_kind


# -- the deadline report (S1, S2) -----------------------------------------------------------------------------
@dataclass
class Tally:
    """Met, late, open and overdue deadlines of one class or organisation, and the working days late."""

    key: int
    name: str
    met: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    days_late: int = 0

    @property
    def total(self) -> int:
        return self.met + self.late + self.open + self.overdue

    def add(self, row: deadlines.DeadlineRow) -> None:
        setattr(self, row.state, getattr(self, row.state) + 1)
        if row.state in ("late", "overdue"):
            self.days_late += row.working_days_late or 0


@dataclass(frozen=True)
class DeadlineReport:
    rows: list[deadlines.DeadlineRow]
    by_class: list[Tally]
    by_institution: list[Tally]
    by_site: list[Tally]
    by_bureau: list[Tally]


def _tally(rows: Sequence[deadlines.DeadlineRow], key: Callable[[deadlines.DeadlineRow], tuple[int, str]]
           ) -> list[Tally]:
    found: dict[int, Tally] = {}
    for row in rows:
        ident, name = key(row)
        found.setdefault(ident, Tally(ident, name)).add(row)
    return sorted(found.values(), key=lambda t: (-t.overdue, -t.late, t.name))


def deadline_report(ctx: IssuanceContext, actor: Actor, *, kind: str = "", due_from: dt.date | None = None,
                    due_to: dt.date | None = None) -> DeadlineReport:
    """Deadline compliance per class, institution, exam site and bureau; for bureau staff (others: 404)."""
    if not (actor.is_admin or any(actor.has_role(role) for role in REPORT_ROLES)):
        raise NotFound("页面不存在")
    kinds = [kind] if kind in deadlines.KINDS else None
    rows = deadlines.deadline_report(ctx, actor, kinds=kinds, due_from=due_from, due_to=due_to)

    def of(who: str) -> list[deadlines.DeadlineRow]:
        return [r for r in rows if RESPONSIBLE.get(r.kind) == who]

    def org(r: deadlines.DeadlineRow) -> tuple[int, str]:
        return r.organisation_id, r.organisation_name

    return DeadlineReport(rows, _tally(rows, lambda r: (r.class_id, r.class_no)), _tally(of("institution"), org),
                          _tally(of("exam_site"), org), _tally(of("bureau"), org))
