"""The task inbox: my claimed tasks, my group's unclaimed tasks and what I completed, a page at a time."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field, replace
from typing import Any

from adapters.rules.workdays import CalendarGapError, WorkingCalendar
from adapters.services.platform import Platform
from adapters.services.platform.actors import Actor
from storage.repositories.inbox import DoneCursor, InboxRepository, OpenCursor, TaskFilter

TABS = ("mine", "group", "done")
DUE_FILTERS = ("all", "overdue", "soon")
SOON_WORKING_DAYS = 2
PAGE_SIZE = 25
COUNT_CAP = 1000  # tab counts stop here and show "999+": an exact count of a huge backlog helps nobody


@dataclass(frozen=True)
class InboxQuery:
    """What the user asked for; unknown values fall back to the defaults."""

    tab: str = "mine"  # "" = where the work is: 我的待办 when it holds tasks, else 组内待办 when that does
    process_key: str = ""
    due: str = "all"
    text: str = ""
    cursor: str = ""

    def normalised(self) -> InboxQuery:
        return InboxQuery(tab=self.tab if self.tab in TABS or self.tab == "" else "mine",
                          process_key=self.process_key.strip()[:100],
                          due=self.due if self.due in DUE_FILTERS else "all",
                          text=self.text.strip()[:100], cursor=self.cursor)


@dataclass(frozen=True)
class Due:
    """A due date seen from today: state is none, ok, soon, today or overdue; days are working days."""

    date: dt.date | None
    state: str
    working_days: int | None  # None when the calendar has no data for the period


@dataclass(frozen=True)
class InboxRow:
    task_id: str
    instance_id: int
    title: str
    process_key: str
    process_name: str
    business_key: str | None
    subject_title: str
    created_at: dt.datetime
    due: Due
    claimed_by_me: bool
    completed_at: dt.datetime | None
    others: list[str] = field(default_factory=list)  # who else may take it


@dataclass(frozen=True)
class TabCount:
    tab: str
    count: int
    capped: bool
    overdue: int = 0


@dataclass(frozen=True)
class InboxPage:
    query: InboxQuery
    rows: list[InboxRow]
    tabs: list[TabCount]
    next_cursor: str | None
    processes: list[tuple[str, str]]
    calendar_gap: bool = False


def inbox_page(platform: Platform, actor: Actor, query: InboxQuery, calendar: WorkingCalendar,
               *, page_size: int = PAGE_SIZE) -> InboxPage:
    """One page of a tab with the counts of every tab; pages continue from an opaque cursor."""
    query = query.normalised()
    today = platform.today()
    with platform.reader() as uow:
        repo = InboxRepository(uow.session)
        tabs = _counts(repo, actor, today)
        if not query.tab:
            query = replace(query, tab=_where_the_work_is(tabs))
        where, gap = _task_filter(query, today, calendar)
        raw = _fetch(repo, actor, query, where, page_size + 1)
        more, raw = len(raw) > page_size, raw[:page_size]
        others = _others(repo, actor, raw) if query.tab != "done" else {}
        processes = [(v.process_key, v.name) for v in uow.processes.latest_of_each()]
    rows = [_row(r, actor, calendar, today, others) for r in raw]
    return InboxPage(query=query, rows=rows, tabs=tabs, processes=processes,
                     next_cursor=_encode(query.tab, raw[-1]) if more and raw else None,
                     calendar_gap=gap or any(r.due.date and r.due.working_days is None for r in rows))


def due_of(due: dt.date | None, today: dt.date, calendar: WorkingCalendar) -> Due:
    """Working days left (or overdue) from today; a calendar gap leaves the day count unknown, not guessed."""
    if due is None:
        return Due(None, "none", None)
    if due == today:
        return Due(due, "today", 0)
    try:
        if due < today:
            return Due(due, "overdue", calendar.working_days_between(due, today))
        left = calendar.working_days_between(today, due)
    except CalendarGapError:
        return Due(due, "overdue" if due < today else "ok", None)
    return Due(due, "soon" if left <= SOON_WORKING_DAYS else "ok", left)


def _task_filter(query: InboxQuery, today: dt.date, calendar: WorkingCalendar) -> tuple[TaskFilter, bool]:
    """The filter of the query; "soon" falls back to calendar days (and says so) on a calendar gap."""
    due_from = due_until = None
    gap = False
    if query.tab != "done" and query.due == "overdue":
        due_until = today - dt.timedelta(days=1)
    elif query.tab != "done" and query.due == "soon":
        due_from = today
        try:
            due_until = calendar.add_working_days(today, SOON_WORKING_DAYS)
        except CalendarGapError:
            due_until, gap = today + dt.timedelta(days=SOON_WORKING_DAYS), True
    return TaskFilter(process_key=query.process_key or None, due_from=due_from, due_until=due_until,
                      text=query.text or None), gap


def _fetch(repo: InboxRepository, actor: Actor, query: InboxQuery, where: TaskFilter,
           limit: int) -> list[Any]:
    cursor = _decode(query.tab, query.cursor)
    if query.tab == "done":
        done_after = cursor if isinstance(cursor, DoneCursor) else None
        return repo.completed_by(actor.user_id, where, done_after, limit)
    after = cursor if isinstance(cursor, OpenCursor) else None
    if query.tab == "group":
        if not actor.role_keys:
            return []
        return repo.group_open(actor.role_keys, actor.organisation_id, where, after, limit)
    return repo.claimed_by(actor.user_id, where, after, limit)


def _where_the_work_is(tabs: list[TabCount]) -> str:
    counts = {t.tab: t.count for t in tabs}
    return "group" if not counts.get("mine") and counts.get("group") else "mine"


def _counts(repo: InboxRepository, actor: Actor, today: dt.date) -> list[TabCount]:
    mine = repo.count_claimed(actor.user_id, COUNT_CAP)
    mine_late = repo.count_claimed(actor.user_id, COUNT_CAP, due_before=today)
    group = group_late = 0
    if actor.role_keys:
        group = repo.count_group(actor.role_keys, actor.organisation_id, COUNT_CAP)
        group_late = repo.count_group(actor.role_keys, actor.organisation_id, COUNT_CAP, due_before=today)
    done = repo.count_completed(actor.user_id, COUNT_CAP)
    return [TabCount("mine", mine, mine >= COUNT_CAP, mine_late),
            TabCount("group", group, group >= COUNT_CAP, group_late),
            TabCount("done", done, done >= COUNT_CAP)]


def _others(repo: InboxRepository, actor: Actor, raw: list[Any]) -> dict[tuple[str, int], list[str]]:
    pairs = {(r.role_key, r.organisation_id) for r in raw if r.organisation_id is not None}
    found = repo.candidates(pairs)
    return {pair: [name for user_id, name in users if user_id != actor.user_id]
            for pair, users in found.items()}


def _row(raw: Any, actor: Actor, calendar: WorkingCalendar, today: dt.date,
         others: dict[tuple[str, int], list[str]]) -> InboxRow:
    open_ = raw.state == "open"
    return InboxRow(task_id=raw.id, instance_id=raw.instance_id, title=raw.title, process_key=raw.process_key,
                    process_name=raw.process_name, business_key=raw.business_key,
                    subject_title=raw.subject_title or "", created_at=raw.created_at,
                    due=due_of(raw.due_date, today, calendar) if open_ else Due(raw.due_date, "none", None),
                    claimed_by_me=open_ and raw.assignee_id == actor.user_id, completed_at=raw.completed_at,
                    others=others.get((raw.role_key, raw.organisation_id), []))


# -- cursors: opaque to the browser, validated on the way back ------------------------------------------
def _encode(tab: str, raw: Any) -> str:
    if tab == "done":
        parts: list[Any] = ["d", raw.completed_at.isoformat(), raw.id]
    else:
        parts = ["o", raw.due_date.isoformat() if raw.due_date else None, raw.created_at.isoformat(), raw.id]
    return base64.urlsafe_b64encode(json.dumps(parts, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(tab: str, cursor: str) -> OpenCursor | DoneCursor | None:
    """A cursor from the URL, or None (first page) when it is missing or was tampered with."""
    if not cursor:
        return None
    try:
        parts = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if tab == "done" and parts[0] == "d" and len(parts) == 3:
            return DoneCursor(_aware(parts[1]), str(parts[2]))
        if tab != "done" and parts[0] == "o" and len(parts) == 4:
            due = dt.date.fromisoformat(parts[1]) if parts[1] else None
            return OpenCursor(due, _aware(parts[2]), str(parts[3]))
    except (ValueError, TypeError, IndexError, KeyError, binascii.Error):
        return None
    return None


def _aware(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("cursor time without zone")
    return value

