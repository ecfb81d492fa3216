"""``flask demo load``: demo organisations, users and one demo case per process family (the embedded default)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from adapters.services import demo
from adapters.services.enterprises import demo as enterprises_demo
from adapters.services.enterprises import enterprises_context
from adapters.services.issuance import issuance_context
from adapters.services.plans import demo as plans_demo
from adapters.services.plans import plans_context
from adapters.services.platform import deploy as deploy_service
from adapters.services.platform import directory
from adapters.web.platform.cli import _wiring

demo_cli = AppGroup("demo", help="Demo data for the embedded default.")


def register(app: Flask) -> None:
    app.cli.add_command(demo_cli)


@demo_cli.command("load")
def demo_load() -> None:
    """Create the demo organisations and one user per role (idempotent); prints the sign-ins."""
    wiring = _wiring()
    users = demo.load_demo(wiring.platform)
    if deploy_service.is_deployed(wiring.platform, "certificate_issuance"):
        created = demo.load_demo_class(issuance_context(wiring), directory.actor_by_username(wiring.platform, "tongan"))
        if created:
            click.echo(f"demo class {created} registered for 通安培训学校 (its archive task is in tongan's inbox)")
    if deploy_service.is_deployed(wiring.platform, "full_staff_exam"):
        suspended = enterprises_demo.load_case(enterprises_context(wiring))
        if suspended:
            click.echo(f"demo suspension of {suspended} recorded (its roster task is in tianhong's inbox)")
    if deploy_service.is_deployed(wiring.platform, "training_plan"):
        published = plans_demo.load(plans_context(wiring))
        if published:
            click.echo(f"demo training plan of 安泰培训中心 for {published} published (/plans/public/); "
                       "tongan's plan task is in the inbox")
    click.echo("demo sign-ins (username / password):")
    for username, name, password in users:
        click.echo(f"  {username:<10} {password}   {name}")
