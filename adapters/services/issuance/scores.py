"""Exam scores with the same-day resit (S3): one main and at most one resit per part, the resit on the exam day.

Scores are entered by the assigned exam site in a per-class grid or an xlsx import; every cell is checked with
``adapters.rules.exams`` against what is already recorded, and a batch is stored whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from adapters.render.score_sheet import SCORE_KEYS
from adapters.render.xlsx import ABSENT, read_score_rows, score_import_template
from adapters.render.xlsx_common import RowError
from adapters.rules.catalogue import is_special_operation
from adapters.rules.exams import KINDS, PARTS, ExamAttempt, ExamOutcome, check_new_attempt, evaluate
from adapters.rules.idnumbers import mask_id_number
from adapters.services.issuance.context import IssuanceContext, get_class, reading, require_site, unit, visible_class
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, InvalidData
from storage.models_issuance import ExamAttemptRecord, ExamSitting, Trainee
from storage.repositories.issuance import IssuanceRepository

CELLS = (("theory", "main"), ("theory", "resit"), ("practical", "main"), ("practical", "resit"))
Score = float | str | None  # a score, ABSENT ("absent", 缺考) or None (nothing entered)
ONE_DAY = dt.timedelta(days=1)


def cell_name(part: str, kind: str) -> str:
    return f"{part}_{kind}"


def cell_label(part: str, kind: str) -> str:
    return f"{PARTS[part]}{KINDS[kind]}"


@dataclass(frozen=True)
class ScoreEntry:
    """Scores of one candidate to record; None leaves a cell as it is."""

    trainee_id: int
    theory_main: Score = None
    theory_resit: Score = None
    practical_main: Score = None
    practical_resit: Score = None

    def value(self, part: str, kind: str) -> Score:
        value: Score = getattr(self, cell_name(part, kind))
        return value


def rule_attempts(records: Sequence[ExamAttemptRecord]) -> list[ExamAttempt]:
    """Recorded scores as the S3 rules see them (an absence is no attempt)."""
    return [ExamAttempt(r.part, r.kind, float(r.score), r.taken_on) for r in records
            if not r.absent and r.score is not None]


def _find(records: Sequence[ExamAttemptRecord], part: str, kind: str) -> ExamAttemptRecord | None:
    return next((r for r in records if r.part == part and r.kind == kind), None)


def has_practical(job_type: str) -> bool:
    """Special operations are examined in theory and practice; leaders and team leaders in theory only."""
    return is_special_operation(job_type)


def cell_problem(records: Sequence[ExamAttemptRecord], part: str, kind: str, value: Score,
                 sitting: ExamSitting, today: dt.date, *, practical: bool = True) -> str | None:
    """Why ``value`` may not be recorded now (Chinese), or None; a resit is dated today, a main the exam day."""
    if part == "practical" and not practical:
        return "该工种只考理论，不录入实操成绩"
    main = _find(records, part, "main")
    if kind == "resit" and main is not None and main.absent:
        return f"{PARTS[part]}正考缺考，不能补考（当日补考仅限正考未通过的考生）"
    if value != ABSENT and not isinstance(value, int | float):
        return f"{cell_label(part, kind)}应为 0–100 的分数或“缺考”"
    score = float(sitting.pass_mark) if value == ABSENT else float(value)  # type: ignore[arg-type]
    taken_on = sitting.exam_date if kind == "main" else today
    probe = ExamAttempt(part, kind, score, taken_on)
    return check_new_attempt(rule_attempts(records), probe, sitting.exam_date, sitting.pass_mark)


def _same(record: ExamAttemptRecord, value: Score) -> bool:
    if value == ABSENT:
        return record.absent
    return not record.absent and record.score is not None and abs(record.score - float(value or 0)) < 1e-9


def candidate_outcome(records: Sequence[ExamAttemptRecord], sitting: ExamSitting, *, closed: bool,
                      practical: bool = True) -> ExamOutcome:
    """The S3 outcome of one candidate; ``closed`` ends the exam day (results final)."""
    outcome = _outcome(records, sitting, closed=closed)
    if not practical and len(outcome.reasons) == 2:
        # evaluate() gives two reasons only once theory has passed; a theory-only exam is then passed.
        return ExamOutcome("passed", outcome.reasons[:1])
    return outcome


def _outcome(records: Sequence[ExamAttemptRecord], sitting: ExamSitting, *, closed: bool) -> ExamOutcome:
    attempts = rule_attempts(records)
    if closed:
        return evaluate(attempts, sitting.pass_mark, sitting.exam_date, today=sitting.exam_date + ONE_DAY)
    outcome = evaluate(attempts, sitting.pass_mark, sitting.exam_date)
    if outcome.status in ("pending", "resit_allowed"):
        theory_done = any(a.part == "theory" and a.score >= sitting.pass_mark for a in attempts)
        part = "practical" if theory_done else "theory"
        for kind in ("main", "resit"):
            record = _find(records, part, kind)
            if record is not None and record.absent:
                return ExamOutcome("failed", (f"{cell_label(part, kind)}缺考，须重新培训",))
    return outcome


@dataclass(frozen=True)
class CandidateScores:
    """One grid row: recorded cells, the outcome so far and which cells may be entered now."""

    trainee_id: int
    name: str
    id_number_masked: str
    practical: bool
    cells: dict[str, Score]
    status: str
    reasons: tuple[str, ...]
    editable: tuple[str, ...]


@dataclass(frozen=True)
class ScoreSheet:
    class_id: int
    class_no: str
    exam_date: dt.date
    pass_mark: int
    final: bool
    rows: list[CandidateScores]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def _grouped(training: IssuanceRepository, sitting: ExamSitting) -> dict[int, list[ExamAttemptRecord]]:
    grouped: dict[int, list[ExamAttemptRecord]] = defaultdict(list)
    for record in training.attempts(sitting.id):
        grouped[record.trainee_id].append(record)
    return grouped


def _row(trainee: Trainee, records: list[ExamAttemptRecord], sitting: ExamSitting, today: dt.date,
         final: bool) -> CandidateScores:
    cells: dict[str, Score] = {}
    editable = []
    practical = has_practical(trainee.job_type)
    for part, kind in CELLS:
        found = _find(records, part, kind)
        if found is not None:
            cells[cell_name(part, kind)] = ABSENT if found.absent else found.score
        elif not final and today >= sitting.exam_date and cell_problem(
                records, part, kind, float(sitting.pass_mark), sitting, today, practical=practical) is None:
            editable.append(cell_name(part, kind))
    outcome = candidate_outcome(records, sitting, closed=final, practical=practical)
    return CandidateScores(trainee.id, trainee.name, mask_id_number(trainee.id_number), practical, cells,
                           outcome.status, outcome.reasons, tuple(editable))


def sheet_of(training: IssuanceRepository, class_id: int, today: dt.date) -> ScoreSheet:
    cls = get_class(training, class_id)
    sitting = training.sitting(class_id)
    if sitting is None:
        raise InvalidData({"exam": f"期次 {cls.class_no} 尚未安排考试"})
    grouped = _grouped(training, sitting)
    final = sitting.results_final_at is not None
    rows = [_row(t, grouped.get(t.id, []), sitting, today, final) for t in training.trainees(class_id)]
    return ScoreSheet(cls.id, cls.class_no, sitting.exam_date, sitting.pass_mark, final, rows)


def score_sheet(ctx: IssuanceContext, actor: Actor, class_id: int) -> ScoreSheet:
    """The per-class score grid (ID numbers masked) with each candidate's S3 status."""
    with reading(ctx) as (_uow, training):
        visible_class(training, actor, class_id)
        return sheet_of(training, class_id, ctx.today())


def record_scores(ctx: IssuanceContext, actor: Actor, class_id: int, entries: Sequence[ScoreEntry]) -> ScoreSheet:
    """Record grid cells for the assigned exam site (S3); all cells are stored or, on any problem, none.

    Errors are keyed ``rows[i].theory_resit`` with the candidate's name; a second resit, a resit on another day
    or a change to a recorded score is refused.
    """
    today, now = ctx.today(), ctx.platform.now()
    with unit(ctx) as (uow, training):
        cls = get_class(training, class_id, lock=True)  # serialises concurrent entry for the class
        sitting = require_site(actor, training.sitting(cls.id), cls)
        if sitting.results_final_at is not None:
            raise Conflict(f"期次 {cls.class_no} 的考试成绩已定案，不能再录入或修改")
        if today < sitting.exam_date:
            raise InvalidData({"rows": f"考试日为 {sitting.exam_date.isoformat()}，考试前不能录入成绩"})
        new, errors = _new_records(training, sitting, entries, today, now, actor.username)
        if errors:
            raise InvalidData(errors, "成绩有误，本次未保存任何成绩")
        training.add_all(new)
        uow.audit.record("exam.scores.record", user_id=actor.user_id, username=actor.username,
                         instance_id=cls.instance_id, entity="training_class", entity_id=cls.id,
                         detail={"cells": len(new)})
        uow.commit()
        return sheet_of(training, class_id, today)


def _new_records(training: IssuanceRepository, sitting: ExamSitting, entries: Sequence[ScoreEntry],
                 today: dt.date, now: dt.datetime, by: str) -> tuple[list[ExamAttemptRecord], dict[str, str]]:
    trainees = {t.id: t for t in training.trainees(sitting.class_id)}
    grouped = _grouped(training, sitting)
    new: list[ExamAttemptRecord] = []
    errors: dict[str, str] = {}
    for index, entry in enumerate(entries):
        trainee = trainees.get(entry.trainee_id)
        if trainee is None:
            errors[f"rows[{index}].trainee_id"] = f"考生 {entry.trainee_id} 不是本期次的考生"
            continue
        records = grouped[trainee.id]
        for part, kind in CELLS:
            value = entry.value(part, kind)
            if value is None:
                continue
            key = f"rows[{index}].{cell_name(part, kind)}"
            existing = _find(records, part, kind)
            if existing is not None:
                if not _same(existing, value):
                    errors[key] = f"{trainee.name}：{cell_label(part, kind)}成绩已录入，不能修改"
                    break
                continue
            problem = cell_problem(records, part, kind, value, sitting, today,
                                   practical=has_practical(trainee.job_type))
            if problem:
                errors[key] = f"{trainee.name}：{problem}"
                break  # later cells of this candidate depend on this one
            record = ExamAttemptRecord(
                sitting_id=sitting.id, trainee_id=trainee.id, part=part, kind=kind,
                score=None if value == ABSENT else float(value), absent=value == ABSENT,  # type: ignore[arg-type]
                taken_on=sitting.exam_date if kind == "main" else today, recorded_by=by, recorded_at=now)
            records.append(record)
            new.append(record)
    return new, errors


# -- xlsx ------------------------------------------------------------------------------------------
def score_template(ctx: IssuanceContext, actor: Actor, class_id: int) -> bytes:
    """The score-entry sheet pre-filled with the class's candidates (for the assigned site only; audited)."""
    with unit(ctx) as (uow, training):
        cls = get_class(training, class_id)
        require_site(actor, training.sitting(cls.id), cls)
        candidates = [{"id_number": t.id_number, "name": t.name} for t in training.trainees(class_id)]
        uow.audit.record("exam.scores.template", user_id=actor.user_id, username=actor.username,
                         entity="training_class", entity_id=cls.id, detail={"candidates": len(candidates)})
        uow.commit()
    return score_import_template(candidates)


@dataclass(frozen=True)
class ScoreImport:
    recorded: bool
    errors: list[RowError]


def import_scores_xlsx(ctx: IssuanceContext, actor: Actor, class_id: int, stream: bytes | IO[bytes]) -> ScoreImport:
    """Record an uploaded score sheet; nothing is stored unless every row and every S3 check passes."""
    with unit(ctx) as (_uow, training):
        cls = get_class(training, class_id)
        require_site(actor, training.sitting(cls.id), cls)
        roster = {t.id_number: t for t in training.trainees(class_id)}
    result = read_score_rows(stream, candidates=[{"id_number": k, "name": t.name} for k, t in roster.items()])
    if not result.ok:
        return ScoreImport(False, list(result.errors))
    entries = [ScoreEntry(roster[r["id_number"]].id, r["theory_main"], r["theory_resit"], r["practical_main"],
                          r["practical_resit"]) for r in result.rows]
    try:
        record_scores(ctx, actor, class_id, entries)
    except InvalidData as err:
        rows = [r["row"] for r in result.rows]
        return ScoreImport(False, [_row_error(key, message, rows) for key, message in err.errors.items()])
    return ScoreImport(True, [])


def _row_error(key: str, message: str, rows: list[int]) -> RowError:
    labels = {key: header for header, key in SCORE_KEYS.items()}  # the sheet's own column names
    if key.startswith("rows[") and "]" in key:
        index = int(key[len("rows["):key.index("]")])
        column = labels.get(key.split(".", 1)[-1], "")
        return RowError(rows[index] if index < len(rows) else 0, column, message)
    return RowError(0, "", message)
