"""The bureau's survey results (S8): published per quarter to every institution; institutions rated poor in a year
go on the next year's enforcement-inspection list, which the bureau views and exports."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.render.inspection_sheet import inspection_xlsx
from adapters.rules.institutions import RATINGS
from adapters.services.institutions.context import INSTITUTION_KIND, InstitutionsContext, read, require_bureau, unit
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import Forbidden, InvalidData
from storage.repositories.institutions import InstitutionsRepository
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class ResultRow:
    institution: str
    code: str
    year: int
    quarter: int
    score: int | None
    rating: str | None
    filed_on: str
    days_late: int | None
    note: str
    published: bool

    @property
    def rating_label(self) -> str:
        return RATINGS.get(self.rating or "", "")


def _rows(repo: InstitutionsRepository, year: int, quarter: int | None, *, published_only: bool) -> list[ResultRow]:
    orgs = {o.id: o for o in repo.organisations_of_kind(INSTITUTION_KIND)}
    rows = []
    for s in repo.surveys(year=year, quarter=quarter):
        if published_only and not s.published:
            continue
        org = orgs.get(s.organisation_id)
        rows.append(ResultRow(org.name if org else "", org.code if org else "", s.year, s.quarter, s.score,
                              s.rating, s.filed_on.isoformat() if s.filed_on else "", s.days_late, s.score_note,
                              s.published))
    return sorted(rows, key=lambda r: (r.quarter, r.code))


def results(ctx: InstitutionsContext, actor: Actor, year: int, quarter: int | None = None) -> list[ResultRow]:
    """S8: the bureau sees every survey; institutions see the published results of all institutions."""
    if actor.is_admin or actor.has_role("bureau_training"):
        return read(ctx, lambda _uow, repo: _rows(repo, year, quarter, published_only=False))
    if actor.organisation_kind != INSTITUTION_KIND:
        raise Forbidden("调研评估结果只向培训机构和市局教育训练科公布")
    return read(ctx, lambda _uow, repo: _rows(repo, year, quarter, published_only=True))


def publish(ctx: InstitutionsContext, actor: Actor, year: int, quarter: int) -> int:
    """Publish a quarter's scored surveys to all institutions; refused while any filed survey is unscored."""
    require_bureau(actor)
    with unit(ctx) as (uow, repo):
        surveys = repo.surveys(year=year, quarter=quarter)
        unscored = [s for s in surveys if s.filed_on is not None and s.score is None]
        if unscored:
            names = "、".join(o.name for s in unscored if (o := repo.organisation(s.organisation_id)))
            raise InvalidData({"quarter": f"还有已报送但未评估的调研：{names}"}, "结果未发布")
        scored = [s for s in surveys if s.score is not None]
        if not scored:
            raise InvalidData({"quarter": f"{year}年第{quarter}季度还没有评估过的调研"}, "结果未发布")
        for survey in scored:
            survey.published = True
        uow.audit.record("institutions.survey_results_published", user_id=actor.user_id, username=actor.username,
                         entity="survey_quarter", entity_id=year * 10 + quarter, detail={"count": len(scored)})
        uow.commit()
        return len(scored)


def inspection_list(ctx: InstitutionsContext, actor: Actor, year: int) -> list[ResultRow]:
    """S8: the enforcement-inspection list of ``year``: institutions rated poor in the previous year's surveys."""
    require_bureau(actor)

    def run(_uow: UnitOfWork, repo: InstitutionsRepository) -> list[ResultRow]:
        return [r for r in _rows(repo, year - 1, None, published_only=False) if r.rating == "poor"]
    return read(ctx, run)


def inspection_export(ctx: InstitutionsContext, actor: Actor, year: int) -> bytes:
    rows = inspection_list(ctx, actor, year)
    return inspection_xlsx(year, [(r.institution, r.code, f"{r.year}年第{r.quarter}季度", r.score or 0,
                                   r.rating_label, r.note) for r in rows])
