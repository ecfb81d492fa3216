"""Fixtures for HTTP tests of the web app; every web area's tests reuse them.

CSRF protection stays ON: the helpers read the real token from a rendered page and send it back, exactly as
a browser does, so tests exercise the same path as users.

- ``app`` — the Flask app on this test's migrated SQLite database (fixture ``wiring``), with the demo
  directory loaded (fixture ``people``: users admin, bureau, inst_a, inst_a2, inst_b, site; password
  ``PASSWORD``).
- ``client`` — an anonymous test client of ``app``.
- ``login(username, password=PASSWORD, *, client=None)`` — signs in through the real ``/login`` form and
  returns the (now signed-in) client; ``client`` defaults to the ``client`` fixture. Fails the test if the
  sign-in is refused.
- ``as_user(username)`` — a fresh client, already signed in; use it when two people act in one test.
- ``csrf_token(client)`` — the CSRF token of the client's session (read from the page's ``<meta>``).
- ``post(client, url, data=None, **kwargs)`` — POST with the CSRF token added to the form data.
- ``approval`` — deploys ``tests.support.bpmn.approval_process()`` (key ``approval``: institution submits,
  bureau reviews) and returns ``start(username, business_key=None, title="") -> instance id``.
- ``open_task(instance_id)`` — the id of the one open human task of an instance.

Example::

    def test_bureau_sees_nothing_before_submission(approval, login):
        approval("inst_a", "C-1")
        client = login("bureau")
        assert "C-1" not in client.get("/inbox/?tab=group").get_data(as_text=True)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from adapters.services.bootstrap import Wiring
from adapters.services.platform import deploy, instances
from adapters.web.app import create_app
from tests.support.bpmn import approval_process
from tests.support.platform import PASSWORD, Directory

_META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture
def app(wiring: Wiring, people: Directory) -> Flask:
    app = create_app(wiring.settings, wiring=wiring)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def read_csrf_token(client: FlaskClient) -> str:
    """The token of the client's session, from a page rendered with base.html (the sign-in page or inbox)."""
    page = client.get("/login", follow_redirects=True).get_data(as_text=True)
    match = _META_TOKEN.search(page)
    assert match, "no csrf-token <meta> on the page"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
    """POST a form as a browser would, with the session's CSRF token."""
    form = dict(data or {})
    form.setdefault("csrf_token", read_csrf_token(client))
    return client.post(url, data=form, **kwargs)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    """Submit the real sign-in form; returns the response (302 on success, 200 with a message on failure)."""
    return post_form(client, "/login", {"username": username, "password": password})


@pytest.fixture
def csrf_token() -> Callable[[FlaskClient], str]:
    return read_csrf_token


@pytest.fixture
def post() -> Callable[..., TestResponse]:
    return post_form


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., FlaskClient]:
    def do_login(username: str, password: str = PASSWORD, *, client: FlaskClient = client) -> FlaskClient:
        response = sign_in(client, username, password)
        assert response.status_code == 302, f"sign-in of {username} refused: {response.get_data(as_text=True)[:300]}"
        assert "/login" not in response.headers["Location"]
        return client

    return do_login


@pytest.fixture
def as_user(app: Flask, login: Callable[..., FlaskClient]) -> Callable[[str], FlaskClient]:
    def signed_in(username: str) -> FlaskClient:
        return login(username, client=app.test_client())

    return signed_in


@pytest.fixture
def approval(wiring: Wiring, people: Directory) -> Callable[..., int]:
    deploy.deploy(wiring.platform, {"approval.bpmn": approval_process()}, "admin")

    def start(username: str, business_key: str | None = None, title: str = "") -> int:
        return instances.start_instance(wiring.platform, people.actor(username), "approval",
                                        business_key=business_key, title=title)

    return start


@pytest.fixture
def open_task(wiring: Wiring) -> Callable[[int], str]:
    def task_of(instance_id: int) -> str:
        with wiring.platform.uow() as uow:
            found = uow.tasks.open_for_instance(instance_id)
            if len(found) != 1:
                row = uow.instances.get(instance_id)
                incidents = [i.message for i in uow.instances.open_incidents(instance_id)]
                raise AssertionError(f"instance {instance_id} has {len(found)} open tasks, not 1 "
                                     f"(status {row.status if row else 'missing'}; incidents: {incidents})")
            return found[0].id

    return task_of
