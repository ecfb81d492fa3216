"""The bureau's compliance overview is built from indicators that each process family contributes.

A family registers ``Indicator``s in its ``install`` (issuance: archive and result deadlines met; institutions:
surveys on time and their scores, 送培入企 count; plans: plans filed on time, …). The overview page asks every
indicator for the organisations and period shown and lays the answers out as one row per organisation, so the
platform never imports a family and a new family adds columns without touching the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import InvalidData
from storage.models import Organisation
from storage.uow import UnitOfWork

Status = Literal["ok", "warn", "bad", "none"]


@dataclass(frozen=True)
class ReportPeriod:
    """A calendar year, or one quarter of it (``quarter`` 1–4)."""

    year: int
    quarter: int | None = None

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)


@dataclass(frozen=True)
class Measure:
    """One organisation's value of one indicator: ``value`` for sorting and charts, ``text`` for the table
    (e.g. "3/4"), ``status`` for the colour."""

    value: float | None
    text: str
    status: Status = "none"


# (read-only unit of work, period, organisation ids) → measure by organisation id (missing ids: nothing to report)
Compute = Callable[[UnitOfWork, ReportPeriod, Sequence[int]], Mapping[int, Measure]]


@dataclass(frozen=True)
class Indicator:
    key: str  # "<family>.<what>", e.g. "issuance.archives_on_time"
    label_zh: str
    label_en: str
    organisation_kinds: tuple[str, ...]  # the organisation kinds it applies to, e.g. ("institution",)
    compute: Compute
    order: int = 100  # column order on the page


def register(platform: Platform, indicator: Indicator) -> None:
    platform.indicators[indicator.key] = indicator


def indicators_for(platform: Platform, organisation_kind: str) -> list[Indicator]:
    found = [i for i in platform.indicators.values() if organisation_kind in i.organisation_kinds]
    return sorted(found, key=lambda i: (i.order, i.key))


# -- the overview: one row per organisation and per registered indicator -------------------------------------
def N_(text: str) -> str:  # a gettext marker: the page translates the section labels
    return text


KINDS_SHOWN = (("institution", N_("培训机构")), ("exam_site", N_("考点")))
BUREAU_KINDS = ("city_bureau", "county_bureau")


@dataclass(frozen=True)
class OverviewRow:
    organisation_id: int
    name: str
    county: str  # the county bureau the organisation lies in, "" when directly under the city
    measures: tuple[Measure | None, ...]  # in the order of the section's indicators; None: nothing to report


@dataclass(frozen=True)
class OverviewSection:
    kind: str
    label: str
    indicators: tuple[Indicator, ...]
    rows: tuple[OverviewRow, ...]


@dataclass(frozen=True)
class Overview:
    period: ReportPeriod
    county_id: int | None
    counties: tuple[tuple[int, str], ...]  # for the filter
    sections: tuple[OverviewSection, ...]


def may_see_all(actor: Actor) -> bool:
    return actor.is_admin or actor.organisation_kind in BUREAU_KINDS


def overview(platform: Platform, actor: Actor, period: ReportPeriod, county_id: int | None = None) -> Overview:
    """Every registered indicator's measure per institution and exam site for the period (year or quarter).

    Bureau staff see the organisations of their jurisdiction, optionally of one county; an institution or an exam
    site sees only its own row; anyone else sees nothing.
    """
    if period.quarter not in (None, 1, 2, 3, 4):
        raise InvalidData({"quarter": f"季度 {period.quarter} 无效，应为 1 至 4"})
    with platform.reader() as uow:
        orgs = {o.id: o for o in uow.directory.organisations()}
        counties = tuple(sorted(((o.id, o.name) for o in orgs.values() if o.kind == "county_bureau"),
                                key=lambda c: c[1]))
        sections = []
        for kind, label in KINDS_SHOWN:
            shown = [o for o in orgs.values() if o.kind == kind and o.active and _visible(actor, o.id)
                     and (county_id is None or _county(orgs, o.id) == county_id)]
            shown.sort(key=lambda o: o.name)
            indicators = tuple(indicators_for(platform, kind))
            ids = [o.id for o in shown]
            values = [indicator.compute(uow, period, ids) if ids else {} for indicator in indicators]
            rows = tuple(OverviewRow(o.id, o.name, orgs[c].name if (c := _county(orgs, o.id)) else "",
                                     tuple(v.get(o.id) for v in values)) for o in shown)
            if rows or may_see_all(actor):
                sections.append(OverviewSection(kind, label, indicators, rows))
        return Overview(period, county_id, counties, tuple(sections))


def _visible(actor: Actor, organisation_id: int) -> bool:
    if actor.organisation_id == organisation_id:
        return True
    return may_see_all(actor) and (actor.is_admin or actor.sees_organisation(organisation_id))


def _county(orgs: Mapping[int, Organisation], organisation_id: int) -> int | None:
    org = orgs.get(organisation_id)
    while org is not None:
        if org.kind == "county_bureau":
            return org.id
        org = orgs.get(org.parent_id) if org.parent_id else None
    return None
