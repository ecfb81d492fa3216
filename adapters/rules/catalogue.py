"""Job types: the three leader roles and the special-operations catalogue (2010, order No. 30 annex).

A job type code is either a leader role ("principal_leader", "safety_manager", "team_leader") or a
special-operations code such as "5.1". The catalogue is replaced by 应急〔2026〕45号 from 2026-06-01;
when that takes effect the new list belongs here as a second, dated catalogue, not as edits to this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PRINCIPAL_LEADER = "principal_leader"
SAFETY_MANAGER = "safety_manager"
TEAM_LEADER = "team_leader"
LEADER_JOB_TYPES = {
    PRINCIPAL_LEADER: "主要负责人",
    SAFETY_MANAGER: "安全生产管理人员",
    TEAM_LEADER: "班组长",
}
# Exams without a training class of an institution (S5 full-staff exams, S6 rescue-team members); no certificate.
FULL_STAFF = "full_staff"
MINE_RESCUE = "mine_rescue"
EXAM_ONLY_JOB_TYPES = {FULL_STAFF: "全员安全生产考试", MINE_RESCUE: "矿山兼职救护队员"}
CATALOGUE_2010_EFFECTIVE_FROM = date(2010, 7, 1)
COAL_MINE_CATEGORY = "5"
HAZARDOUS_CHEMICALS_CATEGORY = "9"

CATEGORIES = {
    "1": "电工作业",
    "2": "焊接与热切割作业",
    "3": "高处作业",
    "4": "制冷与空调作业",
    "5": "煤矿安全作业",
    "6": "金属非金属矿山安全作业",
    "7": "石油天然气安全作业",
    "8": "冶金（有色）生产安全作业",
    "9": "危险化学品安全作业",
    "10": "烟花爆竹安全作业",
}

_OPERATION_NAMES = {
    "1": ("高压电工作业", "低压电工作业", "防爆电气作业"),
    "2": ("熔化焊接与热切割作业", "压力焊作业", "钎焊作业"),
    "3": ("登高架设作业", "高处安装、维护、拆除作业"),
    "4": ("制冷与空调设备运行操作作业", "制冷与空调设备安装修理作业"),
    "5": (
        "煤矿井下电气作业", "煤矿井下爆破作业", "煤矿安全监测监控作业", "煤矿瓦斯检查作业",
        "煤矿安全检查作业", "煤矿提升机操作作业", "煤矿采煤机（掘进机）操作作业", "煤矿瓦斯抽采作业",
        "煤矿防突作业", "煤矿探放水作业",
    ),
    "6": (
        "金属非金属矿井通风作业", "尾矿作业", "金属非金属矿山安全检查作业", "金属非金属矿山提升机操作作业",
        "金属非金属矿山支柱作业", "金属非金属矿山井下电气作业", "金属非金属矿山排水作业",
        "金属非金属矿山爆破作业",
    ),
    "7": ("司钻作业",),
    "8": ("煤气作业",),
    "9": (
        "光气及光气化工艺作业", "氯碱电解工艺作业", "氯化工艺作业", "硝化工艺作业", "合成氨工艺作业",
        "裂解（裂化）工艺作业", "氟化工艺作业", "加氢工艺作业", "重氮化工艺作业", "氧化工艺作业",
        "过氧化工艺作业", "胺基化工艺作业", "磺化工艺作业", "聚合工艺作业", "烷基化工艺作业",
        "化工自动化控制仪表作业",
    ),
    "10": ("烟火药制造作业", "黑火药制造作业", "引火线制造作业", "烟花爆竹产品涉药作业", "烟花爆竹储存作业"),
}


@dataclass(frozen=True)
class OperationType:
    """One special-operations type (操作项目) of the catalogue."""

    code: str
    name: str
    category_code: str

    @property
    def category_name(self) -> str:
        """The Chinese name of the category this type belongs to."""
        return CATEGORIES[self.category_code]


OPERATION_TYPES = {
    f"{category}.{index}": OperationType(f"{category}.{index}", name, category)
    for category, names in _OPERATION_NAMES.items()
    for index, name in enumerate(names, start=1)
}


def operation_types(category_code: str | None = None) -> list[OperationType]:
    """Return the catalogue's operation types in order, optionally only those of one category."""
    return [op for op in OPERATION_TYPES.values() if category_code in (None, op.category_code)]


def operation_type(code: str) -> OperationType:
    """Return the operation type for a code like "5.1"; ValueError naming the code if unknown."""
    try:
        return OPERATION_TYPES[code]
    except KeyError:
        raise ValueError(f"特种作业目录中没有操作项目代码“{code}”") from None


def is_special_operation(job_type: str) -> bool:
    """Return True when the job type is a special-operations catalogue code."""
    return job_type in OPERATION_TYPES


def is_known_job_type(job_type: str) -> bool:
    """Return True for a leader role or a special-operations code."""
    return job_type in LEADER_JOB_TYPES or is_special_operation(job_type)


def is_leader(job_type: str) -> bool:
    """Return True for principal leaders and safety managers (the 考核合格证 holders)."""
    return job_type in (PRINCIPAL_LEADER, SAFETY_MANAGER)


def in_category(job_type: str, category_code: str) -> bool:
    """Return True when the job type is a special operation of the given category."""
    return is_special_operation(job_type) and OPERATION_TYPES[job_type].category_code == category_code


def job_type_label(code: str) -> str:
    """Return the Chinese label of a job type, e.g. "班组长" or "电工作业—高压电工作业"."""
    if code in LEADER_JOB_TYPES:
        return LEADER_JOB_TYPES[code]
    if code in EXAM_ONLY_JOB_TYPES:
        return EXAM_ONLY_JOB_TYPES[code]
    op = operation_type(code)
    return f"{op.category_name}—{op.name}"
