"""``flask --app wsgi notifications run``: deadline notifications and the e-mail retry worker."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from adapters.engine import clock
from adapters.services.bootstrap import Wiring
from adapters.services.platform import notifications
from adapters.services.platform.mailer import SmtpMailer

notifications_cli = AppGroup("notifications", help="Due-soon/overdue notifications and e-mail delivery.")


def register(app: Flask) -> None:
    app.cli.add_command(notifications_cli)


@notifications_cli.command("run")
@click.option("--once", is_flag=True, help="Scan deadlines and send due e-mails once, then exit.")
@click.option("--interval", default=60.0, show_default=True, help="Seconds between rounds.")
def notifications_run(once: bool, interval: float) -> None:
    """Create due-soon/overdue notifications and send pending e-mails (retrying failed ones with backoff)."""
    wiring: Wiring = current_app.extensions["anpei"]
    mailer = SmtpMailer.from_settings(wiring.settings)
    while True:
        created = notifications.scan_deadlines(wiring.platform, wiring.reference.calendar(),
                                               email=mailer is not None)
        line = f"{clock.now():%Y-%m-%d %H:%M:%S}Z deadline notifications={created}"
        busy = created > 0
        if mailer is not None:
            result = notifications.deliver_pending(wiring.platform, mailer, wiring.settings.public_url)
            line += f" sent={result.sent} retrying={result.retrying} failed={result.failed}"
            busy = busy or result != notifications.Delivery()
        elif waiting := notifications.pending_emails(wiring.platform):
            line += f" e-mail off (SMTP_HOST unset); {waiting} e-mails wait for it"
        else:
            line += " e-mail off (SMTP_HOST unset)"
        if once or busy:
            click.echo(line)
        if once:
            return
        time.sleep(interval)
