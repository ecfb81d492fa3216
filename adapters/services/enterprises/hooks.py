"""Platform hooks of the enterprises family."""

from __future__ import annotations

from typing import Any

from adapters.services.enterprises.context import SUSPENSION_PROCESS, repo

DECISION_TASK = "resumption_review"


def record_decider(*, uow: Any, row: Any, **_: Any) -> None:
    """The resumption decision records who decided (the user who completed the review) once the case is resumed.

    The service task that resumes runs before the platform marks the review task completed, so the name is filled
    in here, after the step, in the same transaction.
    """
    if row.process_key != SUSPENSION_PROCESS or not (row.subject or {}).get("suspension_id"):
        return
    ents = repo(uow)
    case = ents.case(int(row.subject["suspension_id"]))
    if case is not None and case.status == "resumed" and case.decided_by is None:
        case.decided_by = (ents.decider(row.id, DECISION_TASK) or "")[:100]
