"""The certificate record a QR code resolves to (signed-in staff only), and deadline compliance (S1, S2)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState

from adapters.services.issuance.class_page import certificate_record
from adapters.services.issuance.context import CERTIFICATE_VERIFY_PATH, CLASS_LINK
from adapters.services.issuance.deadlines import KINDS
from adapters.services.issuance.pages import deadline_report
from adapters.web.issuance.common import ctx
from adapters.web.issuance.form_posts import day
from adapters.web.security import current_actor, login_required

bp = Blueprint("reports", __name__)
OWN_PREFIX = "/classes/"


@bp.get("/certificates/<int:certificate_id>")
@login_required
def certificate(certificate_id: int) -> Any:
    record = certificate_record(ctx(), current_actor(), certificate_id=certificate_id)
    return render_template("issuance/certificate.html", record=record, cert=record.certificate)


@bp.get("/certificates/verify/<code>")
@login_required
def verify(code: str) -> Any:
    record = certificate_record(ctx(), current_actor(), code=code)
    return render_template("issuance/certificate.html", record=record, cert=record.certificate)


@bp.get("/reports/deadlines")
@login_required
def deadlines() -> Any:
    kind = request.args.get("kind", "")
    due_from, due_to = day(request.args.get("from")), day(request.args.get("to"))
    report = deadline_report(ctx(), current_actor(), kind=kind, due_from=due_from, due_to=due_to)
    return render_template("issuance/deadlines.html", report=report, kinds=KINDS, kind=kind,
                           due_from=due_from, due_to=due_to)


def _class_link(class_id: int) -> Any:
    return redirect(url_for("issuance.show", class_id=class_id))


def _verify_link(code: str) -> Any:
    return redirect(url_for("issuance.reports.verify", code=code))


def register_links(state: BlueprintSetupState) -> None:
    """Serve the paths the training services put into notifications and certificate QR codes.

    The services own those paths (``CLASS_LINK``, ``CERTIFICATE_VERIFY_PATH``); where they lie outside this
    blueprint's prefix they are answered here by a redirect, so links already sent or printed keep working.
    """
    links = ((CLASS_LINK.format(class_id="<int:class_id>"), "training_class_link", _class_link),
             (CERTIFICATE_VERIFY_PATH.format(code="<code>"), "training_certificate_link", _verify_link))
    for rule, endpoint, view in links:
        if not rule.startswith(OWN_PREFIX):
            state.app.add_url_rule(rule, endpoint, login_required(view))
