"""``flask --app wsgi check``: do instance states, the task table, the job outbox and the documents agree?"""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app

from adapters.services.bootstrap import Wiring
from adapters.services.platform import consistency


def register(app: Flask) -> None:
    app.cli.add_command(check_command)


@click.command("check")
@click.option("--no-documents", is_flag=True, help="Skip reading every document's object (fast check).")
def check_command(no_documents: bool) -> None:
    """Check that the stores agree; exit 1 and name each place where they do not."""
    wiring: Wiring = current_app.extensions["anpei"]
    report = consistency.check(wiring.platform, wiring.objects, documents=not no_documents)
    counts = report.checked
    click.echo(f"checked {counts['instances']} unfinished instance(s), {counts['documents']} document(s), "
               f"{counts['jobs']} open job kind(s)")
    for finding in report.findings:
        click.echo(f"{finding.place}: {finding.problem}")
    if report.ok:
        click.echo("ok: instance states, tasks, outbox and documents agree")
        return
    click.echo(f"{len(report.findings)} problem(s)", err=True)
    sys.exit(1)
