"""Archive checklists: the class archive (A1.1), each trainee's file (A1.2) and the exam archive (A1.4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from adapters.rules.catalogue import (
    COAL_MINE_CATEGORY,
    HAZARDOUS_CHEMICALS_CATEGORY,
    in_category,
    is_known_job_type,
    is_leader,
    is_special_operation,
)

# Ordered from lowest to highest; 中专 (secondary_vocational) counts as the 高中 level.
EDUCATION_LEVELS = {
    "junior_middle": ("初中", 1),
    "high_school": ("高中", 2),
    "secondary_vocational": ("中专", 2),
    "junior_college": ("大专", 3),
    "bachelor": ("本科", 4),
    "master": ("硕士研究生", 5),
    "doctor": ("博士研究生", 6),
}
TRAINING_KINDS = {"initial": "初训", "renewal": "复训"}
HIGH_SCHOOL_RANK = 2
JUNIOR_COLLEGE_RANK = 3


@dataclass(frozen=True)
class DocumentRequirement:
    """A document a trainee's file must contain, with the rule that requires it."""

    key: str
    label: str
    rule_id: str


@dataclass(frozen=True)
class TraineeProfile:
    """The facts about a trainee that decide which documents are required (A1.2)."""

    job_type: str
    training_kind: str
    education: str
    coal_mine: bool = False
    hazardous_chemicals_key_unit: bool = False
    newly_appointed: bool = False

    def __post_init__(self) -> None:
        if not is_known_job_type(self.job_type):
            raise ValueError(f"job_type：未知的工种“{self.job_type}”")
        if self.training_kind not in TRAINING_KINDS:
            raise ValueError(f"training_kind：培训类型“{self.training_kind}”应为 initial 或 renewal")
        if self.education not in EDUCATION_LEVELS:
            raise ValueError(f"education：未知的文化程度“{self.education}”")

    @property
    def education_rank(self) -> int:
        """The education level as a comparable number (初中 = 1 … 博士 = 6)."""
        return EDUCATION_LEVELS[self.education][1]

    @property
    def coal_special_operation(self) -> bool:
        """A special-operations worker of a coal mine, or in a coal-mine operation type (category 5)."""
        return is_special_operation(self.job_type) and (
            self.coal_mine or in_category(self.job_type, COAL_MINE_CATEGORY)
        )


CLASS_ARCHIVE_ITEMS = (
    ("approval_form", "机构、工种、初（复）训期次验印审批表"),
    ("training_plan", "安全培训计划表（附课程学时安排表）"),
    ("trainee_summary", "学员基本信息汇总表"),
    ("training_hours_proof", "学员学时证明"),
)
EXAM_ARCHIVE_ITEMS = (
    ("exam_plan", "考核实施方案"),
    ("theory_main_record", "考场记录报告单（理论正考）"),
    ("theory_resit_record", "考场记录报告单（理论补考）"),
    ("practical_main_record", "考场记录报告单（实操正考）"),
    ("practical_resit_record", "考场记录报告单（实操补考）"),
    ("score_summary", "考生成绩汇总表"),
)


def class_archive_items() -> list[tuple[str, str]]:
    """Return the institution's class archive items (A1.1 (1)-(4)) as (key, label)."""
    return list(CLASS_ARCHIVE_ITEMS)


def exam_archive_items() -> list[tuple[str, str]]:
    """Return the exam site's archive items for one class period (A1.4 (1)-(3)) as (key, label)."""
    return list(EXAM_ARCHIVE_ITEMS)


def _education_documents(profile: TraineeProfile) -> list[DocumentRequirement]:
    # 学信网 only verifies 大专 and above; lower levels are covered by a copy plus a signed promise.
    if profile.education_rank >= JUNIOR_COLLEGE_RANK:
        return [DocumentRequirement("chsi_record", "学信网备案表（教育部学历证书电子注册备案表）", "A1.2(1)")]
    return [
        DocumentRequirement("diploma_copy", "毕业证复印件", "A1.2(1)"),
        DocumentRequirement("personal_commitment", "个人承诺书", "A1.2(1)"),
    ]


def _leader_documents(profile: TraineeProfile) -> list[DocumentRequirement]:
    documents = [DocumentRequirement("appointment_document", "任职文件", "A1.2(3)")]
    if profile.hazardous_chemicals_key_unit and profile.newly_appointed:
        documents.append(DocumentRequirement(
            "chemical_qualification",
            "化工、化学、安全等相关专业大专学历或化工类中级及以上职称证书复印件",
            "A1.2(5)",
        ))
    if profile.training_kind == "renewal":
        documents.append(DocumentRequirement("previous_certificate", "原证件复印件", "A1.2(6)"))
        documents.append(DocumentRequirement("annual_retraining_proof", "每年接受再教育学时证明", "A1.2(6)"))
    return documents


def trainee_required_documents(profile: TraineeProfile) -> list[DocumentRequirement]:
    """Return the documents a trainee's file must contain (A1.2 (1)-(6))."""
    documents = _education_documents(profile)
    documents.append(DocumentRequirement("id_card_copy", "身份证复印件", "A1.2(2)"))
    if is_leader(profile.job_type):
        documents.extend(_leader_documents(profile))
    if profile.coal_special_operation:
        documents.append(DocumentRequirement("coal_work_experience", "煤矿工作经历证明", "A1.2(4)"))
    return documents


def missing_documents(
    required: Iterable[DocumentRequirement], present_keys: Iterable[str]
) -> list[DocumentRequirement]:
    """Return the required documents whose key is not among the present ones."""
    present = set(present_keys)
    return [document for document in required if document.key not in present]


def eligibility_problems(profile: TraineeProfile) -> list[str]:
    """Return education warnings for the reviewer; an empty list means no problem was found.

    The base coal requirement (初中 or above) is met by every level of EDUCATION_LEVELS, so only
    the stricter rules can produce a warning.
    """
    problems: list[str] = []
    below_high_school = profile.education_rank < HIGH_SCHOOL_RANK
    if in_category(profile.job_type, HAZARDOUS_CHEMICALS_CATEGORY) and below_high_school:
        problems.append("危险化学品特种作业人员应具备高中或者相当于高中及以上文化程度")
    if profile.coal_special_operation and profile.newly_appointed and below_high_school:
        problems.append("新上岗的煤矿特种作业人员应具备高中及以上文化程度（2018年6月1日起）")
    leader_of_key_unit = profile.hazardous_chemicals_key_unit and profile.newly_appointed
    if is_leader(profile.job_type) and leader_of_key_unit and profile.education_rank < JUNIOR_COLLEGE_RANK:
        problems.append(
            "“两重点一重大”危险化学品单位新任主要负责人和安全生产管理人员应具备化学、化工或安全"
            "相关专业大专及以上学历，或化工类中级及以上职称；请核对职称证书"
        )
    return problems
