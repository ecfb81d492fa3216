"""Certificate numbers: special operations ("T" + ID number) and team leaders (S4).

Team-leader number format, chosen for S4 (the numbering bureau assigns unified numbers):

    BZZ<division>-<year>-<sequence>      e.g. BZZ140500-2026-000123

- "BZZ": 班组长 (team leader), so the number's kind is visible at a glance;
- <division>: the 6-digit administrative division code of the bureau that examined and numbered
  the certificate: 140500 for the city bureau, the county code (e.g. 140521 沁水县) for a county bureau;
- <year>: the 4-digit year of issue;
- <sequence>: 6 digits, gap-free per bureau and year, starting at 000001. The sequence itself is
  kept by the storage layer; this module only formats and parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.rules.idnumbers import normalise_id_number, validate_id_number

SPECIAL_OPERATIONS_PREFIX = "T"
TEAM_LEADER_PREFIX = "BZZ"
MAX_SEQUENCE = 999_999
_TEAM_LEADER_NUMBER = re.compile(rf"{TEAM_LEADER_PREFIX}(\d{{6}})-(\d{{4}})-(\d{{6}})")

# Numbering bureaus of Jincheng (DOMAIN.md "Division codes"); the city numbers enterprises it supervises.
JINCHENG_NUMBERING_BUREAUS = {
    "140500": "晋城市应急管理局",
    "140502": "城区应急管理局",
    "140521": "沁水县应急管理局",
    "140522": "阳城县应急管理局",
    "140524": "陵川县应急管理局",
    "140525": "泽州县应急管理局",
    "140581": "高平市应急管理局",
}


@dataclass(frozen=True)
class TeamLeaderNumber:
    """The parts of a team-leader certificate number."""

    division_code: str
    year: int
    sequence: int

    def __str__(self) -> str:
        return team_leader_number(self.division_code, self.year, self.sequence)


def special_operations_number(id_number: str) -> str:
    """Return the special-operations certificate number "T" + the 18-character ID number."""
    problem = validate_id_number(id_number)
    if problem is not None:
        raise ValueError(f"无法生成特种作业证号：{problem}")
    return SPECIAL_OPERATIONS_PREFIX + normalise_id_number(id_number)


def _check_parts(division_code: str, year: int, sequence: int) -> None:
    if len(division_code) != 6 or not division_code.isdigit():
        raise ValueError(f"发证机关行政区划代码“{division_code}”应为6位数字")
    if not 2000 <= year <= 9999:
        raise ValueError(f"发证年份 {year} 无效，应为4位年份（2000年及以后）")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"证书流水号 {sequence} 超出范围，应为 1 至 {MAX_SEQUENCE}")


def team_leader_number(jurisdiction_code: str, year: int, seq: int) -> str:
    """Format a team-leader certificate number, e.g. ("140500", 2026, 123) -> "BZZ140500-2026-000123"."""
    _check_parts(jurisdiction_code, year, seq)
    return f"{TEAM_LEADER_PREFIX}{jurisdiction_code}-{year:04d}-{seq:06d}"


def parse_team_leader_number(value: str) -> TeamLeaderNumber:
    """Split a team-leader certificate number into its parts; ValueError (Chinese) if malformed."""
    text = value.strip().upper()
    match = _TEAM_LEADER_NUMBER.fullmatch(text)
    if match is None:
        raise ValueError(f"班组长证书编号“{value.strip()}”格式不正确，应为 BZZ140500-2026-000123 的形式")
    division_code, year, sequence = match.group(1), int(match.group(2)), int(match.group(3))
    _check_parts(division_code, year, sequence)
    return TeamLeaderNumber(division_code, year, sequence)
