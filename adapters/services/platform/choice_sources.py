"""Choices from live records: a form field names a source (``"choices_from": "exam_sites_of_jurisdiction"``) and
the services fill in the current records when the form is shown or submitted, instead of typed codes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storage.models import Organisation
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class ChoiceSource:
    key: str
    label: str
    kind: str  # organisation kind listed
    within_jurisdiction: bool  # only organisations under the same top-level bureau as the task's organisation


SOURCES = {s.key: s for s in (
    ChoiceSource("exam_sites_of_jurisdiction", "本辖区的考点", "exam_site", True),
    ChoiceSource("institutions", "培训机构", "institution", True),
    ChoiceSource("enterprises", "企业", "enterprise", True),
    ChoiceSource("county_bureaus", "县级应急管理局", "county_bureau", True),
    ChoiceSource("rescue_teams", "救援救护队", "rescue_team", True),
)}


def catalogue() -> list[dict[str, str]]:
    return [{"key": s.key, "label": s.label} for s in SOURCES.values()]


def _fields(definition: Any) -> list[Any]:
    fields = list(getattr(definition, "fields", ()))
    return fields + [c for f in fields for c in getattr(f, "columns", ())]


def unknown_sources(definition: Any) -> list[str]:
    return sorted({f.choices_from for f in _fields(definition) if f.choices_from and f.choices_from not in SOURCES})


def _top(organisations: dict[int, Organisation], organisation_id: int | None) -> int | None:
    current = organisations.get(organisation_id) if organisation_id is not None else None
    while current is not None and current.parent_id is not None and current.parent_id in organisations:
        current = organisations[current.parent_id]
    return current.id if current is not None else None


def options(uow: UnitOfWork, source: str, organisation_id: int | None) -> tuple[tuple[str, str], ...]:
    """(organisation code, name) of the source's active organisations, by name."""
    spec = SOURCES.get(source)
    if spec is None:
        return ()
    organisations = {o.id: o for o in uow.directory.organisations()}
    top = _top(organisations, organisation_id) if spec.within_jurisdiction else None
    chosen = [o for o in organisations.values() if o.kind == spec.kind and o.active
              and (top is None or _top(organisations, o.id) == top)]
    return tuple((o.code, o.name) for o in sorted(chosen, key=lambda o: o.name))


def resolve(uow: UnitOfWork, definition: Any, organisation_id: int | None) -> Any:
    """The definition with every ``choices_from`` field's choices filled in (unchanged when it has none)."""
    if not any(f.choices_from for f in _fields(definition)):
        return definition
    cache: dict[str, tuple[tuple[str, str], ...]] = {}

    def fill(field: Any) -> Any:
        columns = tuple(fill(c) for c in getattr(field, "columns", ()))
        if field.choices_from:
            if field.choices_from not in cache:
                cache[field.choices_from] = options(uow, field.choices_from, organisation_id)
            return dataclasses.replace(field, choices=cache[field.choices_from], columns=columns)
        return dataclasses.replace(field, columns=columns) if columns else field

    return dataclasses.replace(definition, fields=tuple(fill(f) for f in definition.fields))


Resolver = Callable[[UnitOfWork, Any, int | None], Any]
