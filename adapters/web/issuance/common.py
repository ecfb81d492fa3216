"""Shared by the class pages: the training context of this app and the class page renderer."""

from __future__ import annotations

from typing import Any

from flask import render_template

from adapters.rules.documents import EDUCATION_LEVELS, TRAINING_KINDS
from adapters.services.issuance import issuance_context
from adapters.services.issuance.class_page import class_page
from adapters.services.issuance.context import IssuanceContext
from adapters.services.issuance.pages import job_type_groups
from adapters.web.security import current_actor, wiring


def ctx() -> IssuanceContext:
    return issuance_context(wiring())


def render_class(class_id: int, *, status: int = 200, **extra: Any) -> Any:
    """The class page; ``extra`` carries a failed form back onto it (rows to add and their errors, sheet errors)."""
    page = class_page(ctx(), current_actor(), class_id)
    extra.setdefault("add_rows", [{}])
    extra.setdefault("add_cells", {})
    extra.setdefault("sheet_errors", [])
    return render_template("issuance/show.html", page=page, c=page.overview.summary,
                           today=wiring().platform.today(), **row_choices(), **extra), status


def row_choices() -> dict[str, Any]:
    """The selects of a trainee row: education levels and job types."""
    return {"educations": {key: label for key, (label, _rank) in EDUCATION_LEVELS.items()},
            "groups": job_type_groups(), "kinds": TRAINING_KINDS}
