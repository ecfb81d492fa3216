"""The bureau's compliance overview: every registered indicator per institution and exam site, as tables, bar
charts (SVG drawn on the server) and an xlsx export; filterable by year, quarter and county. An institution or an
exam site sees only its own row."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, render_template, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _

from adapters.render.compliance_sheet import SheetData, overview_xlsx
from adapters.services.platform import compliance
from adapters.services.platform.compliance import Overview, ReportPeriod
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("compliance", __name__, url_prefix="/compliance")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _overview() -> Overview:
    args = request.args
    today = wiring().platform.today()
    year = args.get("year", type=int) or today.year
    quarter = args.get("quarter", type=int) or None
    county = args.get("county", type=int) or None
    return compliance.overview(wiring().platform, current_actor(), ReportPeriod(year, quarter), county)


def _english() -> bool:
    return str(get_locale() or "zh").startswith("en")


@bp.get("/")
@login_required
def index() -> Any:
    view = _overview()
    years = list(range(wiring().platform.today().year, wiring().platform.today().year - 5, -1))
    return render_template("compliance/index.html", view=view, years=years, english=_english(),
                           all_rows=compliance.may_see_all(current_actor()), args=request.args)


@bp.get("/overview.xlsx")
@login_required
def export() -> Any:
    view = _overview()
    english = _english()
    sheets = []
    for section in view.sections:
        labels = [i.label_en if english else i.label_zh for i in section.indicators]
        headers = (_("单位"), _("所在县（市、区）"), *labels)
        rows = tuple((r.name, r.county, *[m.text if m else "" for m in r.measures]) for r in section.rows)
        sheets.append(SheetData(_(section.label), headers, rows))
    data = overview_xlsx(sheets)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=f"compliance-{view.period.key}.xlsx")
