"""Deadline compliance (S1, S2): every deadline of a class recorded as met or late, per responsible organisation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from adapters.services.issuance.context import IssuanceContext, read
from adapters.services.issuance.reference import Reference
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData
from storage.models_issuance import DeadlineRecord, TrainingClass
from storage.repositories.issuance import IssuanceRepository


@dataclass(frozen=True)
class DeadlineKind:
    rule_id: str
    label: str
    rule_key: str


KINDS = {
    "class_archive": DeadlineKind("S1", "考核发证档案报送（期次结束后）", "archive_due_working_days"),
    "exam_archive": DeadlineKind("S2", "考试档案报送（考试后）", "exam_archive_due_working_days"),
    "issuance": DeadlineKind("S2", "发证数据审批与电子证书生成", "issuance_due_working_days"),
    "delivery": DeadlineKind("S2", "证书交付培训机构", "issuance_due_working_days"),
    "receipt": DeadlineKind("S2", "培训机构向学员发放证书", "delivery_due_working_days"),
}


def open_deadline(training: IssuanceRepository, cls: TrainingClass, kind: str, organisation_id: int,
                  start: dt.date) -> DeadlineRecord:
    """Record the deadline ``kind`` counted in working days from ``start`` (rule value in force that day)."""
    spec = KINDS[kind]
    ref = Reference(training)
    due = ref.add_working_days(start, int(ref.rule(spec.rule_key, start)), field=kind)
    record = training.deadline(cls.id, kind)
    if record is None:
        record = DeadlineRecord(class_id=cls.id, kind=kind, organisation_id=organisation_id, due_date=due)
        training.add(record)
    elif record.done_date is None:
        record.due_date, record.organisation_id = due, organisation_id
    return record


def close_deadline(training: IssuanceRepository, class_id: int, kind: str, done: dt.date) -> DeadlineRecord | None:
    """Mark the deadline met on ``done`` (first time only) with the working days it was late."""
    record = training.deadline(class_id, kind)
    if record is None or record.done_date is not None:
        return record
    record.done_date = done
    record.working_days_late = Reference(training).working_days_between(record.due_date, done)
    return record


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline as a report shows it; ``state`` is met, late, open or overdue."""

    class_id: int
    class_no: str
    kind: str
    rule_id: str
    label: str
    organisation_id: int
    organisation_name: str
    due_date: dt.date
    done_date: dt.date | None
    working_days_late: int | None
    state: str


def _row(ref: Reference, record: DeadlineRecord, cls: TrainingClass, org_name: str, today: dt.date) -> DeadlineRow:
    spec = KINDS.get(record.kind, DeadlineKind("", record.kind, ""))
    late = record.working_days_late
    if record.done_date is not None:
        state = "late" if (late or 0) > 0 else "met"
    elif today > record.due_date:
        state = "overdue"
        try:
            late = ref.working_days_between(record.due_date, today)
        except InvalidData:
            late = None
    else:
        state = "open"
    return DeadlineRow(cls.id, cls.class_no, record.kind, spec.rule_id, spec.label, record.organisation_id,
                       org_name, record.due_date, record.done_date, late, state)


def class_deadlines(ctx: IssuanceContext, class_id: int) -> list[DeadlineRow]:
    """The deadlines of one class (the caller has checked the class is visible)."""
    today = ctx.today()

    def query(_uow: object, training: IssuanceRepository) -> list[DeadlineRow]:
        cls = training.training_class(class_id)
        if cls is None:
            return []
        rows = []
        for record in training.deadlines(class_id):
            org = training.organisation(record.organisation_id)
            rows.append(_row(Reference(training), record, cls, org.name if org else "", today))
        return rows

    return read(ctx, query)


def deadline_report(ctx: IssuanceContext, actor: Actor, *, kinds: Sequence[str] | None = None,
                    organisation_id: int | None = None, due_from: dt.date | None = None,
                    due_to: dt.date | None = None) -> list[DeadlineRow]:
    """Deadlines of the organisations in the actor's jurisdiction (all for administrators), for reports."""
    today = ctx.today()
    if organisation_id is not None:
        allowed = actor.is_admin or actor.sees_organisation(organisation_id)
        orgs: list[int] | None = [organisation_id] if allowed else []
    else:
        orgs = None if actor.is_admin else sorted(actor.jurisdiction)

    def query(_uow: object, training: IssuanceRepository) -> list[DeadlineRow]:
        found = training.deadline_report(organisation_ids=orgs, kinds=kinds, due_from=due_from, due_to=due_to)
        ref = Reference(training)
        return [_row(ref, record, cls, org.name, today) for record, cls, org in found]

    return read(ctx, query)


@dataclass(frozen=True)
class ComplianceLine:
    """Totals of one organisation and deadline kind."""

    organisation_id: int
    organisation_name: str
    kind: str
    label: str
    total: int
    met: int
    late: int
    open: int
    overdue: int
    working_days_late: int


def compliance_summary(rows: Sequence[DeadlineRow]) -> list[ComplianceLine]:
    """Totals per organisation and kind from ``deadline_report`` rows (met / late / open / overdue)."""
    groups: dict[tuple[int, str], list[DeadlineRow]] = defaultdict(list)
    for row in rows:
        groups[(row.organisation_id, row.kind)].append(row)
    lines = []
    for (org_id, kind), items in sorted(groups.items(), key=lambda kv: (kv[1][0].organisation_name, kv[0][1])):
        count = {state: sum(1 for r in items if r.state == state) for state in ("met", "late", "open", "overdue")}
        days = sum(r.working_days_late or 0 for r in items if r.state == "late")
        lines.append(ComplianceLine(org_id, items[0].organisation_name, kind, items[0].label, len(items),
                                    count["met"], count["late"], count["open"], count["overdue"], days))
    return lines
