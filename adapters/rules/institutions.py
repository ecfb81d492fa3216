"""Rules of the institutions' recurring duties: the A2 survey methods, the bureau's survey rating (S8) and which
送培入企 trainings count (S10, S11). Thresholds (minimum enterprises, poor-rating score) come from the rulebook."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from adapters.rules.catalogue import LEADER_JOB_TYPES

SURVEY_METHODS = {
    "meeting_principal": "与企业主要负责人座谈",
    "meeting_training_lead": "与培训负责人座谈",
    "meeting_hr": "与人力资源负责人座谈",
    "meeting_workers": "与一线职工座谈",
    "questionnaire": "问卷调查",
}
# The bureau's scoring criteria of a survey (S8): field name, label, maximum points.
SCORE_CRITERIA = (
    ("score_coverage", "调研企业数量与覆盖面", 25),
    ("score_forms", "调研表填写完整、签字齐全", 25),
    ("score_report", "调研报告需求分析与问题查找", 25),
    ("score_measures", "课程与教学方式改进措施", 25),
)
RATINGS = {"good": "好", "fair": "一般", "poor": "差"}

MODES = {"online": "线上", "offline": "线下", "both": "线上线下结合"}
ANNUAL_RETRAINING = "annual_retraining"
FULL_STAFF_COMMISSIONED = "full_staff_commissioned"
NEW_WORKER_PRE_JOB = "new_worker_pre_job"
SPECIAL_OPERATIONS = "special_operations"
OUTREACH_KINDS = {
    ANNUAL_RETRAINING: "年度再培训",
    FULL_STAFF_COMMISSIONED: "企业委托的全员培训",
    NEW_WORKER_PRE_JOB: "企业委托的新员工岗前培训",
    SPECIAL_OPERATIONS: "特种作业人员培训",
}
PARTICIPANT_CATEGORIES = {**LEADER_JOB_TYPES, "other": "其他从业人员"}


class RefusedOutreach(ValueError):
    """S11: special-operations training is in principle not held inside enterprises."""


@dataclass(frozen=True)
class OutreachVerdict:
    counted: bool
    reason: str  # why it does not count ("" when it counts)


def rating_of(score: int, poor_below: int, good_from: int) -> str:
    """S8: the rating of a survey score (0–100)."""
    if score < poor_below:
        return "poor"
    return "good" if score >= good_from else "fair"


def judge_outreach(kind: str, categories: Iterable[str]) -> OutreachVerdict:
    """S10/S11: only annual retraining of principal leaders, safety managers and team leaders counts."""
    if kind == SPECIAL_OPERATIONS:
        raise RefusedOutreach("特种作业人员培训原则上不得在企业内开展（S11），不能登记为送培入企")
    if kind not in OUTREACH_KINDS:
        raise ValueError(f"培训类别“{kind}”无效")
    if kind != ANNUAL_RETRAINING:
        return OutreachVerdict(False, f"{OUTREACH_KINDS[kind]}不计入送培入企次数（S11）")
    categories = list(categories)
    if not categories or any(c not in LEADER_JOB_TYPES for c in categories):
        return OutreachVerdict(False, "参训人员须为主要负责人、安全生产管理人员或班组长，否则不计入送培入企次数（S10）")
    return OutreachVerdict(True, "")
