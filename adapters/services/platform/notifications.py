"""Notifications: in-app rows when tasks open or near their deadline, and e-mail sent after commit, retried.

Kinds: ``task_assigned`` (a new task for my role in my organisation), ``returned`` (a BPMN element I
completed earlier in this instance is open again), ``due_soon`` (due within two working days) and ``overdue``;
the last two are created once per task and user by ``scan_deadlines``. E-mail never decides whether a step
succeeds: rows are marked ``pending`` in the step's transaction, together with a ``notifications.deliver`` job
that a job worker runs once it commits; a failed send
stays ``pending``, counts an attempt and is retried by ``deliver_pending`` with a growing wait, then given up
as ``failed``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.rules.workdays import CalendarGapError, WorkingCalendar
from adapters.services.platform import Platform, jobs
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import NotFound
from adapters.services.platform.jobs import JobRun
from adapters.services.platform.mailer import Mail, Mailer, SmtpMailer, SmtpSettings
from storage.models import HumanTask
from storage.repositories.notifications import NotificationRepository, OutgoingMail
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

TASK_LINK = "/tasks/{task_id}"  # the task page of adapters/web/task_views
DEADLINE_KINDS = ("due_soon", "overdue")
DELIVER_MAIL = "notifications.deliver"
SCAN_DEADLINES = "notifications.scan"  # periodic: deadline notifications and e-mail retries
SCAN_EVERY = dt.timedelta(minutes=5)
DUE_SOON_WORKING_DAYS = 2
SIGNATURE = "此邮件由安培平台自动发送，请勿直接回复。\n晋城市应急管理局 · 安全生产教育培训考核平台"


class NotifierSettings(SmtpSettings, Protocol):
    @property
    def public_url(self) -> str: ...


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt k (0-based) of an e-mail waits ``base * (2**k - 1)`` after the notification was created."""

    max_attempts: int = 8
    base: dt.timedelta = dt.timedelta(minutes=5)

    def delays(self) -> list[dt.timedelta]:
        return [self.base * (2**k - 1) for k in range(self.max_attempts)]


@dataclass(frozen=True)
class NotificationItem:
    id: int
    kind: str
    title: str
    link: str
    task_id: str | None
    created_at: dt.datetime
    read_at: dt.datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


class Notifier:
    """Creates notifications for tasks opened by a step and mails them (as a job) once the step has committed."""

    def __init__(self, platform: Platform, public_url: str, mailer: Mailer | None, *,
                 policy: RetryPolicy | None = None) -> None:
        self.platform = platform
        self.public_url = public_url.rstrip("/")
        self.mailer = mailer
        self.policy = policy or RetryPolicy()

    def on_tasks_opened(self, uow: UnitOfWork, tasks: Sequence[HumanTask], **_: Any) -> None:
        """Runs inside the step's transaction: one recipient query, one completer query, one INSERT."""
        targets = [t for t in tasks if t.organisation_id is not None and t.role_key]
        if not targets:
            return
        repo = NotificationRepository(uow.session)
        groups: dict[tuple[str, int], list[tuple[int, str | None]]] = defaultdict(list)
        for r in repo.candidates((t.role_key, t.organisation_id) for t in targets if t.organisation_id):
            groups[(r.role_key, r.organisation_id)].append((r.user_id, r.email))
        completers = repo.previous_completers((t.instance_id, t.bpmn_id) for t in targets)
        now = self.platform.now()
        rows = []
        for task in targets:
            for user_id, email in groups.get((task.role_key, task.organisation_id or 0), []):
                back = (task.instance_id, task.bpmn_id, user_id) in completers
                kind = "returned" if back else "task_assigned"
                rows.append(_row(user_id, kind, task, now, mail=bool(self.mailer and email)))
        repo.add_all(rows)
        if any(row["email_state"] == "pending" for row in rows):
            jobs.enqueue(uow, DELIVER_MAIL, {"task_ids": [t.id for t in targets]})

    def deliver_job(self, run: JobRun) -> None:
        """The job: send these tasks' new e-mails; what the relay refuses stays pending for `notifications run`."""
        if self.mailer is None:
            return
        deliver_pending(self.platform, self.mailer, self.public_url, policy=self.policy,
                        task_ids=list(run.payload.get("task_ids", [])))


def install(platform: Platform, settings: NotifierSettings, *, mailer: Mailer | None = None,
            policy: RetryPolicy | None = None, calendar: Callable[[], WorkingCalendar] | None = None) -> Notifier:
    """Register the ``tasks_opened`` handler (replacing an earlier one) and the mail job; e-mail only when
    SMTP_HOST is set. With a calendar, job workers also scan deadlines and retry e-mail every few minutes."""
    notifier = Notifier(platform, settings.public_url, mailer or SmtpMailer.from_settings(settings), policy=policy)
    jobs.register(platform, DELIVER_MAIL, notifier.deliver_job)
    if calendar is not None:
        jobs.schedule(platform, SCAN_DEADLINES, functools.partial(_scan_job, notifier, calendar), every=SCAN_EVERY)
    hooks = platform.hooks.setdefault("tasks_opened", [])
    hooks[:] = [fn for fn in hooks if not isinstance(getattr(fn, "__self__", None), Notifier)]
    platform.on("tasks_opened", notifier.on_tasks_opened)
    return notifier


def _scan_job(notifier: Notifier, calendar: Callable[[], WorkingCalendar], _run: JobRun) -> None:
    """The periodic job: due-soon/overdue notifications, then the e-mails whose retry is due."""
    scan_deadlines(notifier.platform, calendar(), email=notifier.mailer is not None)
    if notifier.mailer is not None:
        deliver_pending(notifier.platform, notifier.mailer, notifier.public_url, policy=notifier.policy)


def _label(task: HumanTask) -> str:
    about = task.subject_title or task.process_name
    return f"{task.title}（{about}）" if about and about != task.title else task.title


def _title(kind: str, task: HumanTask) -> str:
    due = task.due_date.isoformat() if task.due_date else ""
    titles = {
        "task_assigned": f"您所在组有新的待办：{_label(task)}",
        "returned": f"任务已退回，请再次处理：{_label(task)}",
        "due_soon": f"待办即将到期（{due} 截止）：{_label(task)}",
        "overdue": f"待办已逾期（{due} 截止）：{_label(task)}",
    }
    return titles[kind][:300]


def _row(user_id: int, kind: str, task: HumanTask, now: dt.datetime, *, mail: bool) -> dict[str, Any]:
    return {"user_id": user_id, "kind": kind, "title": _title(kind, task),
            "link": TASK_LINK.format(task_id=task.id), "task_id": task.id, "created_at": now,
            "email_state": "pending" if mail else "none", "email_attempts": 0}


# -- e-mail delivery ---------------------------------------------------------------------------------
def deliver_pending(platform: Platform, mailer: Mailer, public_url: str, *, policy: RetryPolicy | None = None,
                    task_ids: Sequence[str] | None = None, batch: int = 100) -> Delivery:
    """Send every pending e-mail whose attempt is due; safe to run in several workers at once."""
    policy = policy or RetryPolicy()
    total = Delivery()
    while True:
        claimed = _claim(platform, policy, batch, task_ids)
        if not claimed:
            return total
        results = mailer.send_all([_mail(m, public_url) for m in claimed])
        done = _record(platform, policy, claimed, results)
        total = Delivery(total.sent + done.sent, total.retrying + done.retrying, total.failed + done.failed)
        if len(claimed) < batch or done.retrying or done.failed:
            return total  # a failing relay is left alone until the next run


def _claim(platform: Platform, policy: RetryPolicy, batch: int,
           task_ids: Sequence[str] | None) -> list[OutgoingMail]:
    with platform.uow() as uow:
        repo = NotificationRepository(uow.session)
        due = repo.due_mail(platform.now(), policy.delays(), limit=batch, task_ids=task_ids)
        repo.set_email_state([m.id for m in due if not m.email], "none")  # the address was removed since
        claimed = [m for m in due if m.email and repo.claim_attempt(m.id, m.attempts)]
        uow.commit()
    return claimed


def _mail(item: OutgoingMail, public_url: str) -> Mail:
    link = f"{public_url.rstrip('/')}{item.link}" if item.link.startswith("/") else item.link
    body = (f"{item.display_name}，您好：\n\n{item.title}\n\n"
            f"请登录安培平台查看和办理：\n{link}\n\n{SIGNATURE}\n")
    return Mail(to=item.email or "", subject=f"【安培】{item.title}", body=body)


def _record(platform: Platform, policy: RetryPolicy, claimed: Sequence[OutgoingMail],
            results: Sequence[str | None]) -> Delivery:
    sent: list[int] = []
    retrying: list[int] = []
    failed: list[int] = []
    for item, error in zip(claimed, results, strict=True):
        if error is None:
            sent.append(item.id)
            continue
        last = item.attempts + 1 >= policy.max_attempts
        (failed if last else retrying).append(item.id)
        log.warning("e-mail of notification %s to %s failed (attempt %d of %d%s): %s", item.id, item.email,
                    item.attempts + 1, policy.max_attempts, ", giving up" if last else "", error)
    with platform.uow() as uow:
        repo = NotificationRepository(uow.session)
        repo.set_email_state(sent, "sent")
        repo.set_email_state(failed, "failed")
        uow.commit()
    return Delivery(len(sent), len(retrying), len(failed))


def pending_emails(platform: Platform) -> int:
    with platform.reader() as uow:
        return NotificationRepository(uow.session).pending_count()


# -- deadlines ------------------------------------------------------------------------------------
def scan_deadlines(platform: Platform, calendar: WorkingCalendar, *, email: bool) -> int:
    """Create due-soon and overdue notifications, once per task and user; returns how many were created."""
    today = platform.today()
    try:
        horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    except CalendarGapError as err:
        log.warning("due-soon notifications skipped: %s", err)
        horizon = today - dt.timedelta(days=1)  # overdue needs no calendar
    with platform.uow() as uow:
        repo = NotificationRepository(uow.session)
        tasks = repo.open_tasks_due_by(max(horizon, today - dt.timedelta(days=1)))
        existing = repo.existing((t.id for t in tasks), DEADLINE_KINDS)
        workers = _workers(repo, tasks)
        now = platform.now()
        rows: list[dict[str, Any]] = []
        for task in tasks:
            kind = "overdue" if task.due_date and task.due_date < today else "due_soon"
            rows.extend(_row(user_id, kind, task, now, mail=email and bool(address))
                        for user_id, address in workers.get(task.id, [])
                        if (user_id, task.id, kind) not in existing)
        repo.add_all(rows)
        uow.commit()
    return len(rows)


Addressees = list[tuple[int, str | None]]  # (user id, e-mail address or None)


def _workers(repo: NotificationRepository, tasks: Iterable[HumanTask]) -> dict[str, Addressees]:
    """Who can work on each task: its assignee once claimed, else its role in its organisation."""
    tasks = list(tasks)
    assignees = repo.users(t.assignee_id for t in tasks if t.assignee_id)
    groups: dict[tuple[str, int], Addressees] = defaultdict(list)
    for r in repo.candidates((t.role_key, t.organisation_id) for t in tasks
                             if t.assignee_id is None and t.organisation_id is not None):
        groups[(r.role_key, r.organisation_id)].append((r.user_id, r.email))
    result: dict[str, Addressees] = {}
    for task in tasks:
        if task.assignee_id:
            found = task.assignee_id in assignees
            result[task.id] = [(task.assignee_id, assignees[task.assignee_id])] if found else []
        elif task.organisation_id is not None:
            result[task.id] = groups.get((task.role_key, task.organisation_id), [])
    return result


# -- the user's list ------------------------------------------------------------------------------
def unread_count(platform: Platform, actor: Actor) -> int:
    with platform.reader() as uow:
        return NotificationRepository(uow.session).unread_count(actor.user_id)


def list_notifications(platform: Platform, actor: Actor, *, limit: int = 50,
                       before_id: int | None = None) -> tuple[list[NotificationItem], bool]:
    """The actor's notifications, newest first, and whether older ones exist."""
    with platform.reader() as uow:
        repo = NotificationRepository(uow.session)
        rows = repo.for_user(actor.user_id, limit=limit + 1, before_id=before_id)
        items = [NotificationItem(r.id, r.kind, r.title, r.link, r.task_id, r.created_at, r.read_at)
                 for r in rows[:limit]]
        return items, len(rows) > limit


def mark_read(platform: Platform, actor: Actor, notification_id: int) -> None:
    with platform.uow() as uow:
        repo = NotificationRepository(uow.session)
        row = repo.get(notification_id)
        if row is None or row.user_id != actor.user_id:
            raise NotFound(f"通知 {notification_id} 不存在")
        repo.mark_read(actor.user_id, platform.now(), notification_id)
        uow.commit()


def mark_all_read(platform: Platform, actor: Actor) -> int:
    with platform.uow() as uow:
        changed = NotificationRepository(uow.session).mark_read(actor.user_id, platform.now())
        uow.commit()
        return changed
