"""Placeholder blueprint while the family is built."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("team_leaders", __name__, url_prefix="/team_leaders")


@bp.get("/")
def index() -> str:
    return ""
