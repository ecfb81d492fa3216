"""Classes (期次) and their trainees: register, add or import trainees (all rows or none), start the process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from adapters.render.xlsx import read_trainee_rows, trainee_import_template
from adapters.render.xlsx_common import RowError
from adapters.rules.catalogue import (
    LEADER_JOB_TYPES,
    OPERATION_TYPES,
    is_known_job_type,
    is_special_operation,
    job_type_label,
)
from adapters.rules.documents import EDUCATION_LEVELS, TRAINING_KINDS
from adapters.rules.idnumbers import is_male, normalise_id_number, validate_id_number, validate_mobile
from adapters.services.issuance.context import (
    EDITABLE_STATUSES,
    INSTITUTION_ROLE,
    PROCESS_KEY,
    IssuanceContext,
    city_bureau_of,
    get_class,
    require_institution,
    require_status,
    unit,
)
from adapters.services.issuance.deadlines import KINDS
from adapters.services.issuance.reference import Reference
from adapters.services.platform import instances
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData
from storage.models_issuance import Trainee, TrainingClass
from storage.repositories.issuance import IssuanceRepository

BUREAU_KINDS = ("city_bureau", "county_bureau")
MAX_TRAINEES = 2000


@dataclass(frozen=True)
class TraineeInput:
    """One trainee as entered or imported; ``education`` is a key of rules.documents.EDUCATION_LEVELS."""

    name: str
    id_number: str
    education: str
    job_type: str
    training_kind: str
    mobile: str = ""
    gender: str = ""
    employer: str = ""
    coal_mine: bool = False
    hazardous_chemicals_key_unit: bool = False
    newly_appointed: bool = False


def job_type_choices() -> dict[str, str]:
    """Job-type code → Chinese label, for selects and the import template's dropdown."""
    codes = [*LEADER_JOB_TYPES, *OPERATION_TYPES]
    return {code: job_type_label(code) for code in codes}


def import_template() -> bytes:
    """The xlsx template institutions fill in to import trainees."""
    return trainee_import_template(job_type_choices())


def _class_errors(class_no: str, job_type: str, training_kind: str, start: dt.date, end: dt.date) -> dict[str, str]:
    errors = {}
    if not class_no.strip() or len(class_no.strip()) > 40:
        errors["class_no"] = "期次编号必填，不超过40个字符"
    if not is_known_job_type(job_type):
        errors["job_type"] = f"未知的工种“{job_type}”"
    if training_kind not in TRAINING_KINDS:
        errors["training_kind"] = "培训类型应为 initial（初训）或 renewal（复训）"
    if end < start:
        errors["end_date"] = "结束日期不能早于开始日期"
    return errors


def _ancestors(training: IssuanceRepository, organisation_id: int) -> set[int]:
    found, current = set(), training.organisation(organisation_id)
    while current is not None and current.parent_id is not None and current.parent_id not in found:
        found.add(current.parent_id)
        current = training.organisation(current.parent_id)
    return found


def _issuing_bureau(training: IssuanceRepository, institution_id: int, chosen: int | None, job_type: str = "") -> int:
    """The chosen bureau (a county numbers team leaders of the enterprises it supervises, S4), else the city."""
    if chosen is not None:
        org = training.organisation(chosen)
        if org is None or org.kind not in BUREAU_KINDS or not org.division_code:
            raise InvalidData({"issuing_organisation_id": "发证机关应为有行政区划代码的市局或县级应急管理局"})
        if org.kind != "city_bureau" and is_special_operation(job_type):
            # Special-operations certificates are issued by the city (S2); only team leaders are numbered by a county.
            raise InvalidData({"issuing_organisation_id": "特种作业期次的发证机关只能是市应急管理局"})
        # S4: the city or the county that supervises the trainees' enterprises — but within the institution's city.
        city = city_bureau_of(training, institution_id)
        if city is None or (org.id != city.id and city.id not in _ancestors(training, org.id)):
            raise InvalidData({"issuing_organisation_id": "发证机关应为本市市局或所辖县级应急管理局"})
        return org.id
    city = city_bureau_of(training, institution_id)
    if city is None or not city.division_code:
        raise InvalidData({"issuing_organisation_id": "未找到培训机构所属的市应急管理局，请指定发证机关"})
    return city.id


def register_class(ctx: IssuanceContext, actor: Actor, *, class_no: str, job_type: str, training_kind: str,
                   start_date: dt.date, end_date: dt.date, trainees: Sequence[TraineeInput] = (),
                   issuing_organisation_id: int | None = None, location: str = "") -> int:
    """Register a class of the actor's institution, optionally with its trainees; returns the class id."""
    if not actor.has_role(INSTITUTION_ROLE):
        raise Forbidden("只有培训机构经办人可以登记期次")
    errors = _class_errors(class_no, job_type, training_kind, start_date, end_date)
    if len(location.strip()) > 200:
        errors["location"] = "培训地点不超过200字"
    if errors:
        raise InvalidData(errors, "期次信息有误")
    with unit(ctx) as (uow, training):
        if training.class_by_number(actor.organisation_id, class_no.strip()) is not None:
            raise InvalidData({"class_no": f"本机构已有期次编号 {class_no.strip()}"}, "期次信息有误")
        cls = TrainingClass(class_no=class_no.strip(), institution_id=actor.organisation_id,
                            issuing_organisation_id=_issuing_bureau(training, actor.organisation_id,
                                                                    issuing_organisation_id, job_type),
                            job_type=job_type, training_kind=training_kind, start_date=start_date,
                            end_date=end_date, location=location.strip(), status="registered",
                            created_by_id=actor.user_id or None,
                            created_at=ctx.platform.now())
        training.add(cls)
        _insert_trainees(training, cls, trainees, ctx)
        uow.audit.record("class.register", user_id=actor.user_id, username=actor.username, entity="training_class",
                         entity_id=cls.id, detail={"class_no": cls.class_no, "trainees": len(trainees)})
        uow.commit()
        return cls.id


def trainee_problems(item: TraineeInput, today: dt.date) -> dict[str, str]:
    """Chinese problems of one trainee by field name (empty when the trainee may be stored)."""
    problems = {}
    if not item.name.strip() or len(item.name.strip()) > 50:
        problems["name"] = "姓名必填，不超过50字"
    id_problem = validate_id_number(item.id_number, today)
    if id_problem:
        problems["id_number"] = id_problem
    if item.education not in EDUCATION_LEVELS:
        problems["education"] = f"未知的文化程度“{item.education}”"
    if not is_known_job_type(item.job_type):
        problems["job_type"] = f"未知的工种“{item.job_type}”"
    if item.training_kind not in TRAINING_KINDS:
        problems["training_kind"] = "培训类型应为初训或复训"
    if item.mobile and validate_mobile(item.mobile):
        problems["mobile"] = validate_mobile(item.mobile) or ""
    if len(item.employer) > 100:
        problems["employer"] = "工作单位不超过100字"
    return problems


def _insert_trainees(training: IssuanceRepository, cls: TrainingClass, items: Sequence[TraineeInput],
                     ctx: IssuanceContext) -> list[Trainee]:
    """Validate every trainee first; store all of them or none (errors keyed ``trainees[i].field``)."""
    if len(items) > MAX_TRAINEES:
        raise InvalidData({"trainees": f"一个期次最多 {MAX_TRAINEES} 名学员"})
    existing = {t.id_number for t in training.trainees(cls.id)} if cls.id else set()
    errors: dict[str, str] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        for name, message in trainee_problems(item, ctx.today()).items():
            errors[f"trainees[{index}].{name}"] = message
        number = normalise_id_number(item.id_number)
        if number in existing or number in seen:
            where = f"第 {seen[number] + 1} 名学员" if number in seen else "本期次已有学员"
            errors[f"trainees[{index}].id_number"] = f"身份证号与{where}重复"
        seen.setdefault(number, index)
    if errors:
        raise InvalidData(errors, "学员信息有误，未导入任何学员")
    rows = [_trainee_row(cls.id, item) for item in items]
    training.add_all(rows)
    return rows


def _trainee_row(class_id: int, item: TraineeInput) -> Trainee:
    number = normalise_id_number(item.id_number)
    gender = item.gender or ("male" if is_male(number) else "female")
    return Trainee(class_id=class_id, name=item.name.strip(), id_number=number, gender=gender,
                   mobile=item.mobile.strip(), education=item.education, job_type=item.job_type,
                   training_kind=item.training_kind, coal_mine=item.coal_mine,
                   hazardous_chemicals_key_unit=item.hazardous_chemicals_key_unit,
                   newly_appointed=item.newly_appointed, employer=item.employer.strip())


def add_trainees(ctx: IssuanceContext, actor: Actor, class_id: int, items: Sequence[TraineeInput]) -> list[int]:
    """Add trainees to a class that is still being prepared (all or none); returns their ids."""
    with unit(ctx) as (uow, training):
        cls = get_class(training, class_id, lock=True)
        require_institution(actor, cls)
        require_status(cls, EDITABLE_STATUSES, "增加学员")
        rows = _insert_trainees(training, cls, items, ctx)
        uow.audit.record("class.trainees.add", user_id=actor.user_id, username=actor.username,
                         entity="training_class", entity_id=cls.id, detail={"count": len(rows)})
        uow.commit()
        return [row.id for row in rows]


@dataclass(frozen=True)
class ImportOutcome:
    """What an xlsx import did: how many trainees were stored, or every problem found (then none were)."""

    imported: int
    errors: list[RowError]


def trainee_from_sheet_row(row: Mapping[str, Any]) -> TraineeInput:
    """A checked row of the trainee import sheet (adapters.render.xlsx) as the input of a trainee."""
    return TraineeInput(name=row["name"], id_number=row["id_number"], education=row["education"],
                        job_type=row["job_type_code"], training_kind=row["training_kind"], mobile=row["mobile"],
                        gender=row["gender"], employer=row["employer"], coal_mine=row["is_coal_mine"],
                        hazardous_chemicals_key_unit=row["is_key_hazard_unit"],
                        newly_appointed=row["is_newly_appointed"])


def import_trainees_xlsx(ctx: IssuanceContext, actor: Actor, class_id: int, stream: bytes | IO[bytes]) -> ImportOutcome:
    """Import the trainee sheet: nothing is stored unless every row is valid."""
    result = read_trainee_rows(stream, job_types=job_type_choices(), max_rows=MAX_TRAINEES)
    if not result.ok:
        return ImportOutcome(0, list(result.errors))
    items = [trainee_from_sheet_row(r) for r in result.rows]
    if not items:
        return ImportOutcome(0, [RowError(0, "", "文件中没有学员数据")])
    try:
        add_trainees(ctx, actor, class_id, items)
    except InvalidData as err:
        rows = [r["row"] for r in result.rows]
        return ImportOutcome(0, [_row_error(key, message, rows) for key, message in err.errors.items()])
    return ImportOutcome(len(items), [])


SHEET_COLUMNS = {"name": "姓名", "id_number": "身份证号", "mobile": "手机号", "education": "文化程度",
                 "job_type": "工种代码", "training_kind": "培训类型(初训/复训)", "employer": "工作单位"}


def _row_error(key: str, message: str, rows: list[int]) -> RowError:
    """Map ``trainees[i].field`` back to the spreadsheet row of item i and the sheet's column name."""
    if key.startswith("trainees[") and "]" in key:
        index = int(key[len("trainees["):key.index("]")])
        field = key.split(".", 1)[-1]
        return RowError(rows[index] if index < len(rows) else 0, SHEET_COLUMNS.get(field, field), message)
    return RowError(0, key, message)


def remove_trainee(ctx: IssuanceContext, actor: Actor, trainee_id: int) -> None:
    """Remove a trainee registered by mistake (only while the archive is being prepared)."""
    with unit(ctx) as (uow, training):
        trainee = training.trainee(trainee_id)
        if trainee is None:
            raise InvalidData({"trainee_id": f"学员 {trainee_id} 不存在"})
        cls = get_class(training, trainee.class_id, lock=True)
        require_institution(actor, cls)
        require_status(cls, EDITABLE_STATUSES, "删除学员")
        training.delete(trainee)
        uow.audit.record("class.trainee.remove", user_id=actor.user_id, username=actor.username,
                         entity="trainee", entity_id=trainee_id, detail={"class_id": cls.id})
        uow.commit()


def start_issuance(ctx: IssuanceContext, actor: Actor, class_id: int) -> int:
    """Start the certificate-issuance process for a class (S1 onwards); returns the instance id."""
    with unit(ctx) as (_uow, training):
        cls = get_class(training, class_id)
        require_institution(actor, cls)
        if cls.instance_id is not None:
            raise Conflict(f"期次 {cls.class_no} 的发证流程已经启动")
        if not training.trainees(cls.id):
            raise InvalidData({"trainees": "期次还没有学员，请先登记或导入学员"})
        # Refuse now, in the user's words, rather than as an incident inside the process.
        ref = Reference(training)
        ref.add_working_days(cls.end_date, int(ref.rule(KINDS["class_archive"].rule_key, cls.end_date)),
                             field="end_date")
        class_no, institution_id = cls.class_no, cls.institution_id
    return instances.start_instance(ctx.platform, actor, PROCESS_KEY, dedicated=True, business_key=class_no,
                                    data={"class_id": class_id}, title=f"期次 {class_no} 考核发证",
                                    organisation_id=institution_id, subject={"class_id": class_id})
