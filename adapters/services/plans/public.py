"""The public page of the coming quarter's published classes (S12): no sign-in, no personal data.

Only what the newspaper prints: institution, job type, initial/renewal, dates, place, capacity. Nothing about
trainees or the staff who filed or reviewed the plan is read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.rules import plans as rules
from adapters.rules.catalogue import job_type_label
from adapters.services.plans.context import PlansContext, read
from storage.repositories.plans import PlansRepository
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class PublicClass:
    entry_id: int
    institution_id: int
    institution_name: str
    job_type: str
    job_type_label: str
    training_kind: str
    training_kind_label: str
    start_date: str
    end_date: str
    place: str
    capacity: int


@dataclass(frozen=True)
class PublicFilter:
    institution_id: int | None = None
    job_type: str = ""
    date_from: str = ""  # ISO dates: classes that start on or after / on or before
    date_to: str = ""


@dataclass(frozen=True)
class PublicListing:
    year: int
    quarter: int
    classes: tuple[PublicClass, ...]
    institutions: tuple[tuple[int, str], ...]  # for the filter select, from all the quarter's published classes
    job_types: tuple[tuple[str, str], ...]

    @property
    def title(self) -> str:
        return f"{self.year} 年第 {self.quarter} 季度安全培训计划"


def published_classes(ctx: PlansContext, wanted: PublicFilter = PublicFilter(),
                      period: tuple[int, int] | None = None) -> PublicListing:
    """The coming quarter's published classes (or ``period``'s), filtered by institution, job type and date."""
    year, quarter = period or rules.coming_quarter(ctx.today())

    def query(_uow: UnitOfWork, plans: PlansRepository) -> PublicListing:
        every = [PublicClass(e.id, o.id, o.name, e.job_type, job_type_label(e.job_type), e.training_kind,
                             rules.TRAINING_KINDS.get(e.training_kind, ""), e.start_date.isoformat(),
                             e.end_date.isoformat(), e.place, e.capacity)
                 for e, _plan, o in plans.published_entries(year, quarter)]
        shown = tuple(c for c in every if _matches(c, wanted))
        return PublicListing(year, quarter, shown,
                             tuple(sorted({(c.institution_id, c.institution_name) for c in every},
                                          key=lambda p: p[1])),
                             tuple(sorted({(c.job_type, c.job_type_label) for c in every})))
    return read(ctx, query)


def _matches(c: PublicClass, wanted: PublicFilter) -> bool:
    return ((wanted.institution_id is None or c.institution_id == wanted.institution_id)
            and (not wanted.job_type or c.job_type == wanted.job_type)
            and (not wanted.date_from or c.start_date >= wanted.date_from)
            and (not wanted.date_to or c.start_date <= wanted.date_to))
