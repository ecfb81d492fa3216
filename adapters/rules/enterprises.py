"""Enterprise rules of S4–S5: high-risk industries, supervision levels, suspension causes, who examines.

Pure values and functions; the enterprises family turns them into routing (``candidateOrganisation``) and checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Industries whose enterprises are high-risk (DOMAIN.md: coal, non-coal mines, hazardous chemicals, fireworks,
# metal smelting); the flag decides whether a suspension order (S5) may be recorded.
INDUSTRIES = {
    "coal": ("煤矿", True),
    "non_coal_mine": ("金属非金属矿山", True),
    "hazardous_chemicals": ("危险化学品", True),
    "fireworks": ("烟花爆竹", True),
    "metal_smelting": ("金属冶炼", True),
    "machinery": ("机械制造", False),
    "construction": ("建筑施工", False),
    "other": ("其他行业", False),
}
SUPERVISION_LEVELS = {"city": "市级监管", "county": "县级监管"}
SUSPENSION_CAUSES = {"fatal_accident": "亡人事故", "major_hazard": "重大事故隐患"}
CASE_STATUSES = {"suspended": "停产整顿", "examining": "考试中", "resumed": "准予复产复工"}
PERSON_RESULTS = {"pending": "待考", "passed": "已合格", "failed": "未合格", "removed": "已调离岗位"}
RESOLVED_RESULTS = frozenset({"passed", "removed"})


def industry_label(code: str) -> str:
    return INDUSTRIES.get(code, (code, False))[0]


def is_high_risk(industry: str) -> bool:
    """True for the high-risk industries of the measure (S5 applies only to them)."""
    return INDUSTRIES.get(industry, ("", False))[1]


def industry_code(text: str) -> str | None:
    """The industry code for a code or its Chinese name (xlsx imports carry either)."""
    value = text.strip()
    if value in INDUSTRIES:
        return value
    return next((code for code, (label, _risk) in INDUSTRIES.items() if label == value), None)


def supervision_level_code(text: str) -> str | None:
    value = text.strip()
    if value in SUPERVISION_LEVELS:
        return value
    aliases = {"市级": "city", "市": "city", "县级": "county", "县": "county",
               **{v: k for k, v in SUPERVISION_LEVELS.items()}}
    return aliases.get(value)


@dataclass(frozen=True)
class Supervision:
    level: str
    county_bureau_id: int | None
    city_bureau_id: int


def supervising_bureau(supervision: Supervision) -> int:
    """The bureau that examines and numbers for an enterprise (S4, S5): the city, or its supervising county."""
    if supervision.level == "county":
        if supervision.county_bureau_id is None:
            raise ValueError("县级监管的企业必须指定监管县（市、区）应急管理局")
        return supervision.county_bureau_id
    return supervision.city_bureau_id


def unresolved(results: Iterable[tuple[str, str]]) -> list[str]:
    """Names of roster persons who have neither passed nor been removed from their post (S5 blocks resumption)."""
    return [name for name, result in results if result not in RESOLVED_RESULTS]
