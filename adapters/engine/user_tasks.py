"""What the platform needs to know about a user task: lane, form, candidate organisation, due date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# spiffworkflow:property names process owners set on a user task in the modeler.
FORM_KEY = "formKey"
# On the start event: the page that starts this process (e.g. "/classes/new"); such a process cannot be started
# from the generic start form, the API or the command line, because its start needs records that page creates.
START_PAGE = "startPage"
# On the start event: "true" for a process that only runs when another process calls it (a call activity).
CALLED_ONLY = "calledOnly"
CANDIDATE_ORGANISATION = "candidateOrganisation"
DUE_DATE = "dueDate"


@dataclass(frozen=True)
class UserTaskSpecInfo:
    """The platform-relevant parts of one user task spec."""

    bpmn_id: str
    name: str
    lane: str | None
    form_key: str | None
    candidate_organisation: str | None
    due_date: str | None
    instructions: str | None


def describe_user_task(spec: Any) -> UserTaskSpecInfo:
    """Read lane and spiffworkflow extensions of a (possibly multi-instance child) user task spec."""
    extensions = getattr(spec, "extensions", {}) or {}
    props = extensions.get("properties", {}) or {}
    return UserTaskSpecInfo(
        bpmn_id=spec.bpmn_id or spec.name,
        name=spec.bpmn_name or spec.bpmn_id or spec.name,
        lane=spec.lane,
        form_key=(props.get(FORM_KEY) or None),
        candidate_organisation=(props.get(CANDIDATE_ORGANISATION) or None),
        due_date=(props.get(DUE_DATE) or None),
        instructions=extensions.get("instructionsForEndUser"),
    )


def _start_properties(process_spec: Any) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for spec in process_spec.task_specs.values():
        if type(spec).__name__ == "StartEvent" and getattr(spec, "bpmn_id", None):
            props.update((getattr(spec, "extensions", {}) or {}).get("properties", {}) or {})
    return props


def start_page(process_spec: Any) -> str | None:
    """The dedicated start page declared on the process's start event, if any."""
    page = _start_properties(process_spec).get(START_PAGE)
    return str(page) if page else None


def called_only(process_spec: Any) -> bool:
    """True when the process may only run as a called process, never be started on its own."""
    return str(_start_properties(process_spec).get(CALLED_ONLY, "")).strip().lower() == "true"


def start_lanes(process_spec: Any) -> tuple[str, ...]:
    """Lanes of the start events (every lane of the process when no start event is in a lane)."""
    starts = {event.lane for event in process_spec.start.outputs if getattr(event, "lane", None)}
    if starts:
        return tuple(sorted(starts))
    return tuple(sorted({ts.lane for ts in process_spec.task_specs.values() if getattr(ts, "lane", None)}))


def is_user_task(spec: Any) -> bool:
    """True for user/manual task specs that people complete (multi-instance parents excluded)."""
    return bool(getattr(spec, "manual", False)) and spec.bpmn_id is not None and not hasattr(spec, "task_spec")
