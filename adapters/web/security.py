"""Who is signed in: the session holds the user id and the time of the last request (idle timeout)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, redirect, request, session, url_for

from adapters.services.bootstrap import Wiring
from adapters.services.platform import directory
from adapters.services.platform.actors import Actor
from adapters.services.platform.errors import NotFound

F = TypeVar("F", bound=Callable[..., Any])
LANGUAGES = ("zh", "en")


def wiring() -> Wiring:
    value: Wiring = current_app.extensions["anpei"]
    return value


def sign_in(user_id: int) -> None:
    session.clear()
    session.permanent = True
    session["uid"] = user_id
    session["seen"] = time.time()


def sign_out() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _load_actor() -> None:
    g.actor = None
    if request.path.startswith("/api/"):
        return  # the API authenticates by bearer token only; a session cookie must neither count nor be refreshed
    uid = session.get("uid")
    if uid is None:
        return
    idle_limit = wiring().settings.session_minutes * 60
    if time.time() - float(session.get("seen", 0)) > idle_limit:
        sign_out()
        g.session_expired = True
        return
    session["seen"] = time.time()
    with wiring().platform.reader() as uow:
        user = uow.directory.user(int(uid))
        if user is None or not user.active:
            sign_out()
            return
        g.actor = directory.actor_for(uow, user, tree=wiring().platform.organisation_tree(uow))
        g.user_language = user.language


def current_actor() -> Actor:
    actor: Actor | None = g.get("actor")
    if actor is None:
        abort(401)
    return actor


def login_required(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("actor") is None:
            return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def admin_required(view: F) -> F:
    @functools.wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_actor().is_admin:
            raise NotFound("页面不存在")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def locale() -> str:
    # Chinese unless the user chose English (on the page or in their account); the browser's language does not
    # decide, because staff machines are often set up in English while the work is in Chinese.
    chosen = session.get("lang") or g.get("user_language")
    return str(chosen) if chosen in LANGUAGES else "zh"


def init_app(app: Flask) -> None:
    app.before_request(_load_actor)
