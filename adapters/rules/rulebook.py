"""Rule values with effective dates: deadlines, pass marks and validity periods are data, not constants.

Values change by regulation (e.g. order No. 19 replaces order No. 30 from 2026-06-01), so every
value carries the period it is in force; `effective_to` is the last day in force (inclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from adapters.rules.catalogue import TEAM_LEADER, is_leader, is_special_operation

MEASURE_START = date(2021, 9, 16)
MEASURE = "晋市应急教发〔2021〕169号"
ORDER_30 = "《特种作业人员安全技术培训考核管理规定》（原安监总局令第30号）"
ORDER_3 = "《生产经营单位安全培训规定》（原安监总局令第3号）"
# National values whose exact article was not verified; DOMAIN.md records them with high confidence.
NATIONAL = "国家安全培训考核规定（见 DOMAIN.md）"


@dataclass(frozen=True)
class RuleValue:
    """One value of a rule, in force from `effective_from` to `effective_to` (inclusive; None = open)."""

    key: str
    value: int
    effective_from: date
    effective_to: date | None
    source: str

    def __post_init__(self) -> None:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(
                f"规则 {self.key}：失效日期 {self.effective_to} 早于生效日期 {self.effective_from}"
            )

    def in_force(self, on: date) -> bool:
        """Return True when this value applies on the given day."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class RuleNotInForceError(LookupError):
    """No value of a rule is in force on the requested day."""

    def __init__(self, key: str, on: date) -> None:
        self.key = key
        self.on = on
        super().__init__(
            f"规则“{key}”在 {on.isoformat()} 没有生效的取值，请管理员在规则设置中补录。"
            f" (No value of rule {key!r} is in force on {on.isoformat()}.)"
        )


def _overlap(first: RuleValue, second: RuleValue) -> bool:
    first_end = first.effective_to or date.max
    second_end = second.effective_to or date.max
    return first.effective_from <= second_end and second.effective_from <= first_end


class Rulebook:
    """The rule values in force on any day; overlapping periods of one key are refused."""

    def __init__(self, values: Iterable[RuleValue]) -> None:
        self._values: dict[str, list[RuleValue]] = {}
        for rule in values:
            periods = self._values.setdefault(rule.key, [])
            clash = next((other for other in periods if _overlap(rule, other)), None)
            if clash is not None:
                raise ValueError(
                    f"规则 {rule.key} 的生效期间重叠：自 {rule.effective_from} 起的取值"
                    f"与自 {clash.effective_from} 起的取值"
                )
            periods.append(rule)

    @property
    def keys(self) -> frozenset[str]:
        """The keys that have at least one value."""
        return frozenset(self._values)

    def value(self, key: str, on: date) -> int:
        """Return the value of `key` in force on `on`; RuleNotInForceError if there is none."""
        for rule in self._values.get(key, ()):
            if rule.in_force(on):
                return rule.value
        raise RuleNotInForceError(key, on)


def _measure(key: str, value: int, clause: str) -> RuleValue:
    return RuleValue(key, value, MEASURE_START, None, f"{MEASURE} {clause}")


def _national(key: str, value: int, source: str) -> RuleValue:
    # Recorded from the measure's start: the system holds no records older than that.
    return RuleValue(key, value, MEASURE_START, None, source)


DEFAULT_RULES: tuple[RuleValue, ...] = (
    _measure("archive_due_working_days", 5, "S1 / A1.3：期次结束后5个工作日内报送考核发证档案"),
    _measure("exam_archive_due_working_days", 3, "S2 / A1.4：考试后3个工作日内报送考试档案"),
    _measure("issuance_due_working_days", 5, "S2：5个工作日内申请发证数据审批并制发证书"),
    _measure("delivery_due_working_days", 2, "S2：2个工作日内培训机构将证书发放给学员"),
    _measure("survey_min_enterprises", 3, "S7：每季度入企调研不少于3家企业"),
    _measure("survey_due_day", 25, "S9：每季度最后一个月25日前报送调研报告"),
    _measure("survey_poor_below", 60, "S8：调研评估得分低于60分评为“差”，列入下一年度执法检查计划"),
    _measure("survey_good_from", 85, "S8：调研评估得分85分及以上评为“好”"),
    _measure("send_training_min_per_year", 2, "S10：每年送培入企不少于2次"),
    _measure("plan_due_day", 20, "S12：每季度最后一个月20日前报送下季度培训计划"),
    _national("exam_pass_mark", 80, f"{NATIONAL}：理论、实操考试满分100分，80分及格"),
    _national("special_ops_validity_years", 6, f"{ORDER_30}：特种作业操作证有效期6年"),
    _national("special_ops_review_years", 3, f"{ORDER_30}：每3年复审1次"),
    _national("special_ops_review_apply_days", 60, f"{ORDER_30}：复审期满前60日内提出申请"),
    _national("special_ops_review_training_hours", 8, f"{ORDER_30}：复审前安全培训不少于8学时"),
    _national("leader_certificate_validity_years", 3, f"{NATIONAL}：主要负责人、安全管理人员合格证有效期3年"),
    _national("leader_certificate_issue_working_days", 10, f"{NATIONAL}：考试后10个工作日内发合格证"),
    _national("leader_initial_training_hours", 32, f"{ORDER_3}：初次安全培训不少于32学时"),
    _national("leader_annual_training_hours", 12, f"{ORDER_3}：每年再培训不少于12学时"),
    _national("leader_initial_training_hours_high_risk", 48, f"{ORDER_3}：高危行业初次安全培训不少于48学时"),
    _national("leader_annual_training_hours_high_risk", 16, f"{ORDER_3}：高危行业每年再培训不少于16学时"),
)


def add_years(day: date, years: int) -> date:
    """Return the same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def certificate_dates(issue_date: date, job_type: str, rulebook: Rulebook) -> tuple[date, date | None]:
    """Return (valid_until, review_due) of a certificate issued on `issue_date`, by the rules then in force.

    Special operations: valid 6 years with a review after 3. Principal leaders and safety managers:
    valid 3 years, no review. Team leaders are numbered locally (S4) and their validity is a rule an
    administrator must enter as `team_leader_certificate_validity_years`; until then this refuses.
    """
    if is_special_operation(job_type):
        valid = rulebook.value("special_ops_validity_years", issue_date)
        review = rulebook.value("special_ops_review_years", issue_date)
        return add_years(issue_date, valid), add_years(issue_date, review)
    if is_leader(job_type):
        years = rulebook.value("leader_certificate_validity_years", issue_date)
        return add_years(issue_date, years), None
    if job_type == TEAM_LEADER:
        years = rulebook.value("team_leader_certificate_validity_years", issue_date)
        return add_years(issue_date, years), None
    raise ValueError(f"job_type：未知的工种“{job_type}”")
