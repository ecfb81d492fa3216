"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``."""

from adapters.settings import Settings
from adapters.web.app import create_app

app = create_app(Settings.from_env())
