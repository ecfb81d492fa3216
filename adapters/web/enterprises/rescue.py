"""Placeholder blueprint while the family is built."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rescue", __name__, url_prefix="/rescue")


@bp.get("/")
def index() -> str:
    return ""
