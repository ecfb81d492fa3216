"""Quarterly training plans (S12): plans by institution and quarter, their entries, the published ones."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.models import Organisation
from storage.models_plans import PlanEntry, TrainingPlan
from storage.repositories.family import FamilyRepository


class PlansRepository(FamilyRepository):
    def plan(self, plan_id: int, *, lock: bool = False) -> TrainingPlan | None:
        if not lock:
            return self.session.get(TrainingPlan, plan_id)
        return self.session.scalars(select(TrainingPlan).where(TrainingPlan.id == plan_id).with_for_update()).first()

    def plan_for(self, institution_id: int, year: int, quarter: int) -> TrainingPlan | None:
        return self.session.scalars(select(TrainingPlan).where(
            TrainingPlan.institution_id == institution_id, TrainingPlan.year == year,
            TrainingPlan.quarter == quarter)).first()

    def plans(self, *, institution_ids: Sequence[int] | None = None, year: int | None = None,
              quarters: Sequence[int] | None = None, status: str = "") -> list[TrainingPlan]:
        query = select(TrainingPlan)
        if institution_ids is not None:
            query = query.where(TrainingPlan.institution_id.in_(list(institution_ids)))
        if year is not None:
            query = query.where(TrainingPlan.year == year)
        if quarters:
            query = query.where(TrainingPlan.quarter.in_(list(quarters)))
        if status:
            query = query.where(TrainingPlan.status == status)
        return list(self.session.scalars(query.order_by(TrainingPlan.year.desc(), TrainingPlan.quarter.desc(),
                                                        TrainingPlan.id)))

    def entries(self, plan_id: int) -> list[PlanEntry]:
        return list(self.session.scalars(select(PlanEntry).where(PlanEntry.plan_id == plan_id)
                                         .order_by(PlanEntry.start_date, PlanEntry.id)))

    def entry(self, entry_id: int) -> PlanEntry | None:
        return self.session.get(PlanEntry, entry_id)

    def published_entries(self, year: int, quarter: int) -> list[tuple[PlanEntry, TrainingPlan, Organisation]]:
        """Entries of the quarter's published plans, with their plan and institution, by date."""
        query = (select(PlanEntry, TrainingPlan, Organisation)
                 .join(TrainingPlan, PlanEntry.plan_id == TrainingPlan.id)
                 .join(Organisation, TrainingPlan.institution_id == Organisation.id)
                 .where(TrainingPlan.year == year, TrainingPlan.quarter == quarter,
                        TrainingPlan.status == "published")
                 .order_by(PlanEntry.start_date, Organisation.name, PlanEntry.id))
        return [(e, p, o) for e, p, o in self.session.execute(query).all()]
