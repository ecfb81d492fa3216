"""Operators' commands of the issuance family: ``certificates``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from adapters.services.issuance import certificate_pdfs, issuance_context
from adapters.web.platform.cli import _wiring

certificates_cli = AppGroup("certificates", help="Electronic certificates.")


def register(app: Flask) -> None:
    app.cli.add_command(certificates_cli)


@certificates_cli.command("render")
def certificates_render() -> None:
    """Render the PDFs of issued certificates that have none yet (after a crash or a failed rendering)."""
    click.echo(f"rendered {certificate_pdfs.render_pending(issuance_context(_wiring()))} certificate PDFs")
