"""Operators' commands for reference data: ``calendar`` and ``rules``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from adapters.rules.workdays import CalendarGapError
from adapters.services.platform import calendar_admin, calendar_files, rules_admin
from adapters.services.platform.actors import SYSTEM
from adapters.services.platform.errors import ServiceError
from adapters.web.platform.cli import _actor, _fail, _run, _wiring

calendar_cli = AppGroup("calendar", help="The working-day calendar.")
rules_cli = AppGroup("rules", help="Rule values with the periods they are in force.")


def register(app: Flask) -> None:
    for group in (calendar_cli, rules_cli):
        app.cli.add_command(group)


@calendar_cli.command("add-working-days")
@click.argument("start", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("n", type=int)
def calendar_add(start: dt.datetime, n: int) -> None:
    """Print the date N working days after START (day 1 is the first working day after START)."""
    try:
        click.echo(_wiring().reference.calendar().add_working_days(start.date(), n).isoformat())
    except CalendarGapError as err:
        _fail(str(err))


@calendar_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "username", default=None, help="Administrator recorded in the audit log (default: system).")
def calendar_import(file: str, username: str | None) -> None:
    """Import a CSV or xlsx file (date,kind,note); every year it touches must be complete or nothing is stored."""
    path = Path(file)
    rows, first = _run(calendar_files.read_calendar_file, path.name, path.read_bytes())
    try:
        years = calendar_admin.import_year(_wiring().platform, _actor(username), rows, first)
    except calendar_admin.CalendarRefused as err:
        for problem in err.problems:
            click.echo(f"  {problem}", err=True)
        _fail("工作日历未导入 (calendar not imported)")
    except ServiceError as err:
        _fail(str(err))
    _wiring().reference.invalidate()
    click.echo(f"imported calendar years: {', '.join(map(str, years))}")


@rules_cli.command("set")
@click.argument("key")
@click.argument("value")
@click.option("--from", "effective_from", required=True, help="First day in force (YYYY-MM-DD).")
@click.option("--to", "effective_to", default=None, help="Last day in force, inclusive (default: open-ended).")
@click.option("--source", default="", help="Legal basis (document and article).")
@click.option("--close-open", is_flag=True, help="End the open-ended value the day before --from.")
@click.option("--as", "username", default=None, help="Administrator recorded in the audit log (default: system).")
def rules_set(key: str, value: str, effective_from: str, effective_to: str | None, source: str,
              close_open: bool, username: str | None) -> None:
    """Add a value of rule KEY in force from --from; overlapping periods are refused."""
    value_id = _run(rules_admin.add_rule_value, _wiring().platform, _actor(username), key, value,
                    effective_from, effective_to, source, close_open=close_open)
    _wiring().reference.invalidate()
    click.echo(f"{key} = {value} from {effective_from} (id {value_id})")


@rules_cli.command("list")
def rules_list() -> None:
    """Every rule with its periods; * marks the value in force today."""
    for group in _run(rules_admin.list_rules, _wiring().platform, SYSTEM):
        if not group.periods:
            click.echo(f"{group.key}\t(not set)")
        for p in group.periods:
            until = p.effective_to.isoformat() if p.effective_to else "open"
            click.echo(f"{group.key}\t{p.value}\t{p.effective_from.isoformat()}..{until}{' *' if p.in_force else ''}")
