"""The public page (no sign-in) of the coming quarter's published classes and its printable PDF (S12)."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, render_template, request, send_file

from adapters.render.plan_notice import NoticeClass, render_notice_pdf
from adapters.services.plans.public import PublicFilter, PublicListing, published_classes
from adapters.web.plans.common import ctx

bp = Blueprint("public", __name__, url_prefix="/public")


def _listing() -> tuple[PublicListing, PublicFilter]:
    args = request.args
    institution = args.get("institution", "")
    wanted = PublicFilter(institution_id=int(institution) if institution.isdigit() else None,
                          job_type=args.get("job_type", "")[:40], date_from=args.get("from", "")[:10],
                          date_to=args.get("to", "")[:10])
    return published_classes(ctx(), wanted), wanted


@bp.get("/")
def index() -> Any:
    listing, wanted = _listing()
    return render_template("plans/public.html", listing=listing, wanted=wanted, args=request.args)


@bp.get("/plan.pdf")
def pdf() -> Any:
    listing, _wanted = _listing()
    rows = [NoticeClass(c.institution_name, c.job_type_label, c.training_kind_label, c.start_date, c.end_date,
                        c.place, c.capacity) for c in listing.classes]
    data = render_notice_pdf(listing.title, "晋城市应急管理局", rows)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=False,
                     download_name=f"{listing.year}Q{listing.quarter}-training-plan.pdf")
