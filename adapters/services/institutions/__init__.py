"""Institutions (S7–S11, A2): the training institutions' recurring duties — the quarterly enterprise survey with one
A2 form per enterprise, scored and published by the bureau, and the 送培入企 in-enterprise training records.

``install`` registers the services and submit check of the diagram ``institution_survey``, the calendar start
that opens each quarter's survey for every active institution (``recurring``), and the family's indicators of the
bureau's compliance overview. Pages call the use cases of the submodules with an ``InstitutionsContext``.
"""

from __future__ import annotations

from typing import Any

from adapters.rules.quarters import quarter_of
from adapters.services.institutions import indicators
from adapters.services.institutions.context import (
    INSTITUTION_KIND,
    SURVEY_PROCESS,
    InstitutionsContext,
    institutions_context,
)
from adapters.services.institutions.service_tasks import SurveyServices, checks
from adapters.services.platform import recurring

__all__ = ["InstitutionsContext", "institutions_context", "install", "survey_recurrence"]


def survey_period(day: Any) -> str:
    """S7: every day of a quarter belongs to that quarter's survey, e.g. ``"2026Q4"``."""
    return f"{day.year}Q{quarter_of(day)}"


def _survey_data(period: str, org: Any) -> dict[str, Any]:
    year, quarter = period.split("Q")
    return {"period": period, "year": int(year), "quarter": int(quarter), "organisation_id": org.id,
            "institution_name": org.name}


def _survey_title(period: str, org: Any) -> str:
    year, quarter = period.split("Q")
    return f"{org.name} {year}年第{quarter}季度入企调研"


survey_recurrence = recurring.Recurrence(SURVEY_PROCESS, INSTITUTION_KIND, period_of=survey_period,
                                         data=_survey_data, title=_survey_title)


def install(wiring: Any) -> InstitutionsContext:
    """Register the institutions services, submit check, calendar start and indicators; returns the context."""
    ctx = institutions_context(wiring)
    registry = ctx.platform.runtime.services
    for name, fn in SurveyServices(ctx).operators().items():
        registry.register(name, fn)
    ctx.platform.submit_checks.update(checks(ctx))
    # The calendar start (``recurring.register(ctx.platform, survey_recurrence)``) is switched on together with the
    # family's filing pages: until an institution can add its A2 forms in the browser, a survey task opened by the
    # calendar could not be completed. Tests register it themselves.
    indicators.register(ctx)
    return ctx
