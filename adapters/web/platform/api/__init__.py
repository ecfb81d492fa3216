"""The JSON API under /api/v1: bearer-token authentication only (session cookies are ignored), no CSRF."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.blueprints import BlueprintSetupState

from adapters.services.platform import api_support
from adapters.web.security import wiring

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_ENDPOINTS = frozenset({"api.openapi"})


@bp.record_once
def _exempt_from_csrf(state: BlueprintSetupState) -> None:
    # Token auth sends no cookies a third-party page could ride on, so there is nothing for CSRF to protect.
    csrf = state.app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(bp)


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def unauthorized(message: str) -> Any:
    response = jsonify({"error": "Unauthorized", "message": message})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="anpei-api"'
    return response


@bp.before_request
def _authenticate() -> Any:
    # The app loaded g.actor from the session cookie; the API must not honour it, or any page on another
    # site could drive the API with the visitor's cookies.
    g.actor = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    token = bearer_token()
    if token is None:
        return unauthorized("缺少访问令牌：请在 Authorization 头中使用 Bearer <token> (missing bearer token)")
    actor = api_support.actor_for_token(wiring().platform, token)
    if actor is None:
        return unauthorized("访问令牌无效或用户已停用 (invalid token)")
    g.actor = actor
    return None


@bp.after_request
def _no_store(response: Any) -> Any:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


from adapters.web.platform.api import documents, openapi, workflow  # noqa: E402  (routes attach themselves to bp)

__all__ = ["bp", "documents", "openapi", "workflow"]
