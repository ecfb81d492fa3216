"""Administering rule values: every deadline, pass mark and validity period with the periods it is in force.

A new value never rewrites history: it starts on a date, and the value before it stays in force for earlier days
(a deadline computed for last month keeps last month's rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from adapters.rules.rulebook import DEFAULT_RULES, Rulebook
from adapters.rules.rulebook import RuleValue as Rule
from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, InvalidData
from storage.models import RuleValue as RuleValueRow
from storage.uow import UnitOfWork


def N_(text: str) -> str:  # the conventional name of a gettext marker
    """Mark a label for the translation catalogue; the web layer translates it when showing it."""
    return text


TEAM_LEADER_VALIDITY = "team_leader_certificate_validity_years"
RULE_LABELS: dict[str, str] = {
    "archive_due_working_days": N_("期次结束后报送考核发证档案期限（工作日）"),
    "exam_archive_due_working_days": N_("考试后报送考试档案期限（工作日）"),
    "issuance_due_working_days": N_("申请发证数据审批并制发证书期限（工作日）"),
    "delivery_due_working_days": N_("培训机构向学员发放证书期限（工作日）"),
    "survey_min_enterprises": N_("每季度入企调研最少企业数"),
    "survey_due_day": N_("调研报告报送截止日（季度末月的日）"),
    "send_training_min_per_year": N_("每年送培入企最少次数"),
    "plan_due_day": N_("下季度培训计划报送截止日（季度末月的日）"),
    "exam_pass_mark": N_("考试及格分数"),
    "special_ops_validity_years": N_("特种作业操作证有效期（年）"),
    "special_ops_review_years": N_("特种作业操作证复审周期（年）"),
    "special_ops_review_apply_days": N_("复审申请提前天数（日）"),
    "special_ops_review_training_hours": N_("复审前安全培训学时"),
    "leader_certificate_validity_years": N_("主要负责人、安全管理人员合格证有效期（年）"),
    "leader_certificate_issue_working_days": N_("考试后发放合格证期限（工作日）"),
    "leader_initial_training_hours": N_("主要负责人、安全管理人员初次培训学时"),
    "leader_annual_training_hours": N_("主要负责人、安全管理人员每年再培训学时"),
    "leader_initial_training_hours_high_risk": N_("高危行业初次培训学时"),
    "leader_annual_training_hours_high_risk": N_("高危行业每年再培训学时"),
    TEAM_LEADER_VALIDITY: N_("班组长安全培训合格证有效期（年，本地规定，须管理员录入）"),
}
KNOWN_KEYS = frozenset({rule.key for rule in DEFAULT_RULES} | {TEAM_LEADER_VALIDITY})
MAX_VALUE = 100_000
SOURCE_MAX = 200


@dataclass(frozen=True)
class Period:
    id: int
    value: int
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    updated_by: str
    in_force: bool


@dataclass(frozen=True)
class RuleGroup:
    key: str
    label: str
    known: bool
    current: int | None  # the value in force today; None when none is
    periods: list[Period] = field(default_factory=list)


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("只有管理员可以维护规则取值")


def list_rules(platform: Platform, actor: Actor) -> list[RuleGroup]:
    """Every known rule (and any other stored key) with its periods and the value in force today."""
    _require_admin(actor)
    today = platform.today()
    with platform.reader() as uow:
        rows = list(uow.reference.rule_values())
    keys = list(RULE_LABELS) + sorted({row.key for row in rows} - set(RULE_LABELS))
    groups: list[RuleGroup] = []
    for key in keys:
        periods = [_period(row, today) for row in rows if row.key == key]
        current = next((p.value for p in periods if p.in_force), None)
        groups.append(RuleGroup(key, RULE_LABELS.get(key, key), key in KNOWN_KEYS, current, periods))
    return groups


def _period(row: RuleValueRow, today: dt.date) -> Period:
    rule = _rule(row)
    return Period(row.id, rule.value, row.effective_from, row.effective_to, row.source or "",
                  row.updated_by or "", rule.in_force(today))


def _rule(row: RuleValueRow) -> Rule:
    return Rule(row.key, int(row.value), row.effective_from, row.effective_to, row.source or "")


def add_rule_value(platform: Platform, actor: Actor, key: str, value: int | str,
                   effective_from: dt.date | str | None, effective_to: dt.date | str | None = None,
                   source: str = "", *, close_open: bool = False) -> int:
    """Add a value of a rule from a date; returns its id.

    Overlapping periods are refused; with ``close_open`` the open-ended value in force is ended the day before
    the new one starts (the usual way a regulation replaces a value).
    """
    _require_admin(actor)
    key, value, start, end, source = _cleaned(key, value, effective_from, effective_to, source)
    with platform.uow() as uow:
        rows = [row for row in uow.reference.rule_values() if row.key == key]
        closed = _close_open(rows, start) if close_open else None
        _refuse_overlap(rows, key, value, start, end, source)
        new = RuleValueRow(key=key, value=value, effective_from=start, effective_to=end, source=source,
                           updated_by=actor.username[:60])
        uow.reference.add_rule_value(new)
        uow.flush()
        detail: dict[str, object] = {"key": key, "value": value, "from": start.isoformat(),
                                     "to": end.isoformat() if end else None, "source": source}
        if closed is not None:
            detail["closed_id"], detail["closed_to"] = closed.id, (start - dt.timedelta(days=1)).isoformat()
        _audit(uow, actor, new.id, detail)
        uow.commit()
        return new.id


def _cleaned(raw_key: str, raw_value: int | str, raw_from: dt.date | str | None, raw_to: dt.date | str | None,
             raw_source: str) -> tuple[str, int, dt.date, dt.date | None, str]:
    errors: dict[str, str] = {}
    key = raw_key.strip()
    if key not in KNOWN_KEYS:
        errors["key"] = f"未知的规则“{key}”" if key else "请选择规则"
    value = _int(raw_value, errors)
    start = _date(raw_from, "effective_from", "生效日期", errors, required=True)
    end = _date(raw_to, "effective_to", "失效日期", errors, required=False)
    if start and end and end < start:
        errors["effective_to"] = f"失效日期 {end.isoformat()} 早于生效日期 {start.isoformat()}"
    source = raw_source.strip()
    if len(source) > SOURCE_MAX:
        errors["source"] = f"依据最多 {SOURCE_MAX} 个字"
    if errors:
        raise InvalidData(errors, "规则取值有误")
    assert value is not None and start is not None  # an error was raised otherwise
    return key, value, start, end, source


def _int(raw: int | str, errors: dict[str, str]) -> int | None:
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or not text.isascii():
        errors["value"] = f"取值“{text}”无效：应为不小于 0 的整数" if text else "请填写取值"
        return None
    if int(text) > MAX_VALUE:
        errors["value"] = f"取值 {text} 过大（最大 {MAX_VALUE}）"
        return None
    return int(text)


def _date(raw: dt.date | str | None, name: str, label: str, errors: dict[str, str], *,
          required: bool) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    text = (raw or "").strip()
    if not text:
        if required:
            errors[name] = f"请填写{label}"
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{label}“{text}”无效，应为 YYYY-MM-DD"
        return None


def _close_open(rows: list[RuleValueRow], start: dt.date) -> RuleValueRow | None:
    """End the open-ended value the day before ``start`` (it must have begun earlier)."""
    open_row = next((row for row in rows if row.effective_to is None), None)
    if open_row is None:
        return None
    if open_row.effective_from >= start:
        raise InvalidData({"effective_from": f"当前长期有效的取值自 {open_row.effective_from.isoformat()} 起生效，"
                                             f"新取值的生效日期必须晚于该日期才能将其截止"}, "无法截止现行取值")
    open_row.effective_to = start - dt.timedelta(days=1)
    return open_row


def _refuse_overlap(rows: list[RuleValueRow], key: str, value: int, start: dt.date, end: dt.date | None,
                    source: str) -> None:
    try:
        Rulebook([*(_rule(row) for row in rows), Rule(key, value, start, end, source)])
    except ValueError:
        clash = next(row for row in rows if _overlaps(row, start, end))
        until = clash.effective_to.isoformat() if clash.effective_to else "长期"
        raise InvalidData({"effective_from": f"与现有取值 {clash.value}（{clash.effective_from.isoformat()} 至 "
                                             f"{until}）的生效期间重叠；可勾选“截止现行取值”或调整日期"},
                          "生效期间重叠") from None


def _overlaps(row: RuleValueRow, start: dt.date, end: dt.date | None) -> bool:
    return row.effective_from <= (end or dt.date.max) and start <= (row.effective_to or dt.date.max)


def _audit(uow: UnitOfWork, actor: Actor, value_id: int, detail: dict[str, object]) -> None:
    uow.audit.record("rule_value.add", user_id=actor.user_id or None, username=actor.username,
                     entity="rule_value", entity_id=value_id, detail=detail)
