"""The Flask application factory: wiring happens here, never at import time."""

from __future__ import annotations

from flask import Flask

from adapters.services.bootstrap import Wiring, bootstrap
from adapters.settings import Settings


def create_app(settings: Settings | None = None, *, wiring: Wiring | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, TESTING=settings.testing)
    app.extensions["anpei"] = wiring or bootstrap(settings)
    from adapters.web import cli

    cli.register(app)
    return app
