"""Template helpers: Beijing time, working-day due dates, masked ID numbers, bilingual labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, g
from flask_babel import get_locale

from adapters.rules.idnumbers import mask_id_number

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def beijing(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(BEIJING).strftime(fmt)


def label(value: Any) -> str:
    """A bilingual label {"zh": …, "en": …} in the current language (plain strings pass through)."""
    if isinstance(value, dict):
        lang = str(get_locale() or "zh")[:2]
        return str(value.get(lang) or value.get("zh") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def _globals() -> dict[str, Any]:
    return {"actor": g.get("actor"), "lang": str(get_locale() or "zh")[:2]}


def init_app(app: Flask) -> None:
    app.add_template_filter(beijing, "beijing")
    app.add_template_filter(mask_id_number, "mask_id")
    app.add_template_filter(label, "label")
    app.context_processor(_globals)
