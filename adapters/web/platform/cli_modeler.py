"""``flask processes export``: write what was deployed (in the browser or otherwise) back into bpmn/ and forms/."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from adapters.services.bootstrap import Wiring
from adapters.services.platform import versions
from adapters.services.platform.errors import ServiceError
from adapters.web.platform.cli import _fail, processes_cli


@processes_cli.command("export")
@click.argument("keys", nargs=-1)
@click.option("--bpmn-dir", type=click.Path(file_okay=False), default=None, help="Target for diagrams (BPMN_DIR).")
@click.option("--forms-dir", type=click.Path(file_okay=False), default=None, help="Target for forms (FORMS_DIR).")
def processes_export(keys: tuple[str, ...], bpmn_dir: str | None, forms_dir: str | None) -> None:
    """Export deployed versions: every latest version, or KEY / KEY:VERSION, with their pinned forms."""
    wiring: Wiring = current_app.extensions["anpei"]
    chosen: dict[str, int | None] = {}
    for item in keys:
        key, _, number = item.partition(":")
        if number and not number.isdigit():
            _fail(f"{item}: the version must be a number (KEY:VERSION)")
        chosen[key] = int(number) if number else None
    bpmn = Path(bpmn_dir) if bpmn_dir else wiring.settings.bpmn_dir
    forms = Path(forms_dir) if forms_dir else wiring.settings.forms_dir
    bpmn.mkdir(parents=True, exist_ok=True)
    forms.mkdir(parents=True, exist_ok=True)
    try:
        written = versions.export(wiring.platform, bpmn, forms, chosen or None)
    except ServiceError as err:
        _fail(str(err))
    for exported in written:
        click.echo(f"{exported.what}: {exported.path}")


def register(app: Flask) -> None:
    """The command is part of the ``processes`` group, registered by ``cli.register``."""
