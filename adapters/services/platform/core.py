"""The collaborators every use case needs, wired once by ``bootstrap`` (never at import time)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.engine import clock
from adapters.engine.runtime import WorkflowRuntime
from storage.uow import UnitOfWork

FormCheck = Callable[[Any, Mapping[str, Any], dt.date], tuple[dict[str, Any], dict[str, str]]]
# A named server-side check a form can demand: (unit of work, data visible to the task + submitted values) →
# errors by field name (empty when the submission may go ahead).
SubmitCheck = Callable[[UnitOfWork, Mapping[str, Any]], dict[str, str]]


@dataclass
class Platform:
    """Unit-of-work factory, engine runtime, form checker and caches of data that rarely changes."""

    uow: Callable[[], UnitOfWork]
    runtime: WorkflowRuntime
    check_form: FormCheck
    form_source: Callable[[str], str | None]
    parse_form: Callable[[str, str], Any]
    timezone: dt.tzinfo = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
    lane_cache_seconds: float = 30.0
    hooks: dict[str, list[Callable[..., None]]] = field(default_factory=dict)
    submit_checks: dict[str, SubmitCheck] = field(default_factory=dict)
    # Background jobs: kind → handler (``jobs.register``), and the queue's dispatch (ids after commit).
    job_handlers: dict[str, Callable[[Any], None]] = field(default_factory=dict)
    dispatch: Callable[[list[int]], None] | None = None
    job_schedules: dict[str, dt.timedelta] = field(default_factory=dict)  # kind → period (``jobs.schedule``)
    recurrences: dict[str, Any] = field(default_factory=dict)  # process key → ``recurring.Recurrence``
    # Compliance overview: indicator key → ``compliance.Indicator`` (each family registers its own).
    indicators: dict[str, Any] = field(default_factory=dict)
    # Read-only unit of work (no write lock on SQLite); set by bootstrap, defaults to the writing one.
    read: Callable[[], UnitOfWork] | None = None
    _lanes: tuple[float, dict[str, tuple[str, str]]] = (0.0, {})
    _orgs: tuple[float, dict[int, tuple[str, int | None]]] = (0.0, {})
    _forms: dict[int, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reader(self) -> UnitOfWork:
        """A unit of work for queries only: page views and lookups use it."""
        return self.read() if self.read is not None else self.uow()

    def now(self) -> dt.datetime:
        return clock.now()

    def today(self) -> dt.date:
        """Today in Beijing time: deadlines of the measure are calendar dates in China."""
        return self.now().astimezone(self.timezone).date()

    def lane_roles(self, uow: UnitOfWork) -> dict[str, str]:
        """Lane name → role key; cached briefly because every completion needs it."""
        return {lane: key for lane, (key, _kind) in self._lane_table(uow).items()}

    def lane_role(self, uow: UnitOfWork, lane: str) -> tuple[str, str]:
        """(role key, organisation kind) of a lane; ('', '') for an unknown lane."""
        return self._lane_table(uow).get(lane, ("", ""))

    def _lane_table(self, uow: UnitOfWork) -> dict[str, tuple[str, str]]:
        loaded_at, lanes = self._lanes
        if time.monotonic() - loaded_at < self.lane_cache_seconds and lanes:
            return lanes
        lanes = {role.lane_name: (role.key, role.organisation_kind) for role in uow.directory.roles()}
        self._lanes = (time.monotonic(), lanes)
        return lanes

    def organisation_tree(self, uow: UnitOfWork) -> dict[int, tuple[str, int | None]]:
        """Organisation id → (kind, parent id); cached briefly, the directory changes rarely."""
        loaded_at, orgs = self._orgs
        if time.monotonic() - loaded_at < self.lane_cache_seconds and orgs:
            return orgs
        orgs = {o.id: (o.kind, o.parent_id) for o in uow.directory.organisations()}
        self._orgs = (time.monotonic(), orgs)
        return orgs

    def forget_lanes(self) -> None:
        """Drop cached roles and organisations after an administrator changed them."""
        self._lanes = (0.0, {})
        self._orgs = (0.0, {})

    def version_form(self, uow: UnitOfWork, version_id: int, form_key: str) -> Any:
        """The form definition pinned with a process version (parsed once per version)."""
        with self._lock:
            forms = self._forms.get(version_id)
        if forms is None:
            version = uow.processes.get(version_id)
            forms = {key: self.parse_form(key, text) for key, text in (version.forms if version else {}).items()}
            with self._lock:
                self._forms[version_id] = forms
        if form_key not in forms:
            raise KeyError(f"form {form_key!r} is not part of process version {version_id}")
        return forms[form_key]

    def on(self, event: str, fn: Callable[..., None]) -> None:
        """Register a hook (e.g. notifications after tasks are created); hooks run inside the transaction."""
        self.hooks.setdefault(event, []).append(fn)

    def emit(self, event: str, **kwargs: Any) -> None:
        for fn in self.hooks.get(event, []):
            fn(**kwargs)
