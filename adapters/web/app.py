"""The Flask application factory: wiring happens here, never at import time."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from adapters.services.bootstrap import Wiring, bootstrap
from adapters.settings import Settings
from adapters.web import errors, security, templating


def create_app(settings: Settings | None = None, *, wiring: Wiring | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"),  # behind TLS the cookie never goes plain
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings.session_minutes),
        MAX_CONTENT_LENGTH=(settings.upload_max_mb + 2) * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which has its own idle timeout
        BABEL_DEFAULT_LOCALE="zh",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        BABEL_TRANSLATION_DIRECTORIES="translations",
    )
    app.extensions["anpei"] = wiring or bootstrap(settings)
    CSRFProtect(app)
    Babel(app, locale_selector=security.locale, timezone_selector=lambda: "Asia/Shanghai")
    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    _register_blueprints(app)
    from adapters.web import cli, cli_notifications, cli_reference

    cli.register(app)
    cli_reference.register(app)
    cli_notifications.register(app)
    return app


def _register_blueprints(app: Flask) -> None:
    """One blueprint per area; each module exposes ``bp``."""
    import importlib

    for name in ("auth", "inbox", "task_views", "instance_views", "files", "admin", "notification_views",
                 "process_views", "training_views", "admin_reference", "api"):
        try:
            module = importlib.import_module(f"adapters.web.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"adapters.web.{name}":
                raise
            continue  # an area not built yet
        app.register_blueprint(module.bp)
