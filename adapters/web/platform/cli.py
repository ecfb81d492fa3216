"""The operators' command line: ``flask --app wsgi <group> <command>`` (documented in the README)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from adapters.engine import clock
from adapters.services.bootstrap import Wiring
from adapters.services.platform import deploy as deploy_service
from adapters.services.platform import directory, instances, listing, tasks, timers
from adapters.services.platform.actors import SYSTEM, Actor
from adapters.services.platform.errors import InvalidData, ServiceError
from adapters.services.platform.setup import upgrade_database

db_cli = AppGroup("db", help="Database schema and reference data.")
processes_cli = AppGroup("processes", help="Deploy and list BPMN process versions.")
instances_cli = AppGroup("instances", help="Start and inspect process instances.")
tasks_cli = AppGroup("tasks", help="List and complete human tasks.")
timers_cli = AppGroup("timers", help="Fire due BPMN timers.")
users_cli = AppGroup("users", help="Manage user accounts.")


def register(app: Flask) -> None:
    for group in (db_cli, processes_cli, instances_cli, tasks_cli, timers_cli, users_cli):
        app.cli.add_command(group)


def _wiring() -> Wiring:
    wiring: Wiring = current_app.extensions["anpei"]
    return wiring


def _fail(message: str) -> NoReturn:
    click.echo(f"错误 error: {message}", err=True)
    sys.exit(1)


def _actor(username: str | None) -> Actor:
    if not username:
        return SYSTEM
    try:
        return directory.actor_by_username(_wiring().platform, username)
    except ServiceError as err:
        _fail(str(err))


def _json_option(text: str | None, name: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        _fail(f"--{name} is not valid JSON: {err.msg} at column {err.colno}")
    if not isinstance(value, dict):
        _fail(f"--{name} must be a JSON object")
    return value


def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except InvalidData as err:
        for field, message in sorted(err.errors.items()):
            click.echo(f"  {field}: {message}", err=True)
        _fail(str(err))
    except ServiceError as err:
        _fail(str(err))


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema and add missing roles, calendar years and rule values."""
    wiring = _wiring()
    counts = upgrade_database(wiring.platform, wiring.settings.database_url)
    wiring.reference.invalidate()
    click.echo("database is up to date; added " + ", ".join(f"{k}={v}" for k, v in counts.items()))


def _bpmn_files(paths: tuple[str, ...]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for raw in paths:
        path = Path(raw)
        found = sorted(p for p in path.iterdir() if p.suffix in {".bpmn", ".dmn"}) if path.is_dir() else [path]
        for file in found:
            if not file.is_file():
                _fail(f"{file}: no such file")
            if file.name in files:
                _fail(f"{file}: two files named {file.name}")
            files[file.name] = file.read_bytes()
    if not files:
        _fail("no .bpmn or .dmn files given")
    return files


@processes_cli.command("deploy")
@click.argument("paths", nargs=-1, required=True)
@click.option("--as", "username", default=None, help="Deploying user (default: operator).")
def processes_deploy(paths: tuple[str, ...], username: str | None) -> None:
    """Deploy BPMN/DMN files (or folders); unchanged processes stay on their version."""
    results = _run(deploy_service.deploy, _wiring().platform, _bpmn_files(paths), username or "operator")
    for r in results:
        click.echo(f"{r.process_key}: version {r.version} ({'deployed' if r.changed else 'unchanged'})")


@processes_cli.command("list")
def processes_list() -> None:
    """List each process with its latest version."""
    with _wiring().platform.uow() as uow:
        for v in uow.processes.latest_of_each():
            click.echo(f"{v.process_key}\tv{v.version}\t{v.name}\t{v.deployed_at:%Y-%m-%d %H:%M}\t{v.deployed_by}")


@instances_cli.command("start")
@click.argument("process_key")
@click.option("--business-key", default=None)
@click.option("--data", "data_text", default=None, help="Initial data as a JSON object.")
@click.option("--as", "username", default=None)
@click.option("--org", "organisation", default=None, help="Organisation code (default: the user's own).")
def instances_start(process_key: str, business_key: str | None, data_text: str | None, username: str | None,
                    organisation: str | None) -> None:
    """Start an instance of the latest version; prints the instance id."""
    data = _json_option(data_text, "data")
    platform = _wiring().platform
    org_id = _run(directory.organisation_id, platform, organisation) if organisation else None
    click.echo(_run(instances.start_instance, platform, _actor(username), process_key,
                    business_key=business_key, data=data, organisation_id=org_id))


@instances_cli.command("show")
@click.argument("instance_id", type=int)
@click.option("--as", "username", default=None)
def instances_show(instance_id: int, username: str | None) -> None:
    """Status, version, active tasks and open incidents of an instance."""
    view = _run(instances.show_instance, _wiring().platform, _actor(username), instance_id)
    click.echo(f"instance {view.id}: {view.process_key} v{view.version} status={view.status}"
               f" business_key={view.business_key or '-'}")
    if view.next_timer_at:
        click.echo(f"next timer: {view.next_timer_at.isoformat()}")
    for task in view.active_tasks:
        click.echo(f"task {task.id} {task.bpmn_id} \"{task.title}\" role={task.role_key} due={task.due_date or '-'}")
    for incident in view.incidents:
        click.echo(f"incident {incident.element_id}: {incident.message}")


@instances_cli.command("retry")
@click.argument("instance_id", type=int)
@click.option("--as", "username", default=None)
def instances_retry(instance_id: int, username: str | None) -> None:
    """Retry the failed step of an instance with an incident."""
    click.echo(_run(instances.retry_instance, _wiring().platform, _actor(username), instance_id))


@instances_cli.command("message")
@click.argument("instance_id", type=int)
@click.argument("message")
@click.option("--data", "data_text", default=None, help="Message payload as a JSON object.")
@click.option("--as", "username", default=None)
def instances_message(instance_id: int, message: str, data_text: str | None, username: str | None) -> None:
    """Deliver a BPMN message to a waiting instance."""
    payload = _json_option(data_text, "data")
    click.echo(_run(instances.deliver_message, _wiring().platform, _actor(username), instance_id, message, payload))


@tasks_cli.command("list")
@click.option("--as", "username", default=None, help="Only tasks this user can work on.")
def tasks_list(username: str | None) -> None:
    """Open tasks (of one user, or all)."""
    platform = _wiring().platform
    rows = listing.open_tasks_for(platform, _actor(username)) if username else listing.all_open_tasks(platform)
    for t in rows:
        click.echo(f"{t.id}\t{t.instance_id}\t{t.bpmn_id}\t{t.title}\t{t.role_key}\t{t.due_date or '-'}")


@tasks_cli.command("claim")
@click.argument("task_id")
@click.option("--as", "username", required=True)
def tasks_claim(task_id: str, username: str) -> None:
    """Claim a task for yourself."""
    _run(tasks.claim, _wiring().platform, _actor(username), task_id)
    click.echo("claimed")


@tasks_cli.command("complete")
@click.argument("task_id")
@click.option("--as", "username", required=True)
@click.option("--data", "data_text", default=None, help="Form data as a JSON object.")
def tasks_complete(task_id: str, username: str, data_text: str | None) -> None:
    """Complete a READY task with form data; exit 1 naming the failing fields on invalid data."""
    data = _json_option(data_text, "data")
    status = _run(tasks.complete, _wiring().platform, _actor(username), task_id, data)
    click.echo(f"completed; instance is {status}")


@timers_cli.command("run")
@click.option("--once", is_flag=True, help="Fire what is due now and exit.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between polls.")
def timers_run(once: bool, interval: float) -> None:
    """Fire due timers; without --once keep polling (several workers may run at once)."""
    platform = _wiring().platform
    while True:
        result = timers.run_due_timers(platform)
        if result.fired or result.failed or once:
            click.echo(f"{clock.now():%Y-%m-%d %H:%M:%S}Z fired={result.fired} failed={result.failed}")
        if once:
            return
        time.sleep(interval)


@users_cli.command("create")
@click.argument("username")
@click.option("--org", "organisation", required=True, help="Organisation code.")
@click.option("--role", "roles", multiple=True, help="Role key (repeatable).")
@click.option("--name", "display_name", default="")
@click.option("--email", default=None)
@click.option("--admin", is_flag=True)
@click.password_option(help="Password (prompted when omitted).")
def users_create(username: str, organisation: str, roles: tuple[str, ...], display_name: str,
                 email: str | None, admin: bool, password: str) -> None:
    """Create a user account."""
    user_id = _run(directory.create_user, _wiring().platform, username=username, display_name=display_name,
                   password=password, organisation_code=organisation, role_keys=roles, email=email,
                   is_admin=admin, created_by="operator")
    click.echo(f"user {username} created (id {user_id})")
