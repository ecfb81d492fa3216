"""The Flask application factory: wiring happens here, never at import time."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from adapters.services.bootstrap import Wiring, bootstrap
from adapters.settings import Settings
from adapters.web import errors, security, server_timing, templating


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
    if settings.server_timing:
        server_timing.init_app(app, app.extensions["anpei"].engine)
    _register_blueprints(app)
    _register_commands(app)
    return app


PLATFORM_BLUEPRINTS = (  # one per line, so that branches adding pages merge cleanly
    "auth",
    "inbox",
    "task_views",
    "instance_views",
    "files",
    "admin",
    "notification_views",
    "process_views",
    "admin_reference",
    "admin_jobs",
    "api",
    "modeler_views",
    "modeler_api",
    "compliance_views",
    "task_handling_views",
    "delegation_views",
)
# One entry per process family: the module whose ``bp`` holds the family's pages. A new family adds a line here.
FAMILY_BLUEPRINTS = ("adapters.web.issuance.views", "adapters.web.enterprises.views",
                     "adapters.web.plans.views")


def _register_blueprints(app: Flask) -> None:
    """The platform's blueprints, then each process family's; every module exposes ``bp``."""
    import importlib

    modules = [f"adapters.web.platform.{name}" for name in PLATFORM_BLUEPRINTS] + list(FAMILY_BLUEPRINTS)
    for name in modules:
        app.register_blueprint(importlib.import_module(name).bp)


def _register_commands(app: Flask) -> None:
    from adapters.web import cli_demo
    from adapters.web.issuance import cli as issuance_cli
    from adapters.web.platform import cli, cli_check, cli_jobs, cli_modeler, cli_notifications, cli_reference

    for module in (cli, cli_reference, cli_notifications, cli_jobs, cli_modeler, cli_demo, issuance_cli, cli_check):
        module.register(app)
