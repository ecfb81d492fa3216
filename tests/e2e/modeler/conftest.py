"""Fixtures of the modeler API tests: the web fixtures (CSRF on), a process owner and a JSON client helper."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from adapters.services.platform import deploy, directory
from tests.e2e.web.conftest import app, as_user, client, csrf_token, login, post, read_csrf_token  # noqa: F401  (fixtures)
from tests.support.bpmn import approval_process
from tests.support.platform import PASSWORD


@pytest.fixture
def owner(wiring, people):
    """User ``owner`` at the city bureau with the role process_owner (流程管理员)."""
    directory.create_user(wiring.platform, username="owner", display_name="王科长", password=PASSWORD,
                          organisation_code="CITY", role_keys=("process_owner",))
    return people.actor("owner")


@pytest.fixture
def deployed(wiring, people):
    deploy.deploy(wiring.platform, {"approval.bpmn": approval_process()}, "admin")
    return wiring


class Json:
    """A signed-in client that sends JSON with the session's CSRF token in ``X-CSRFToken``, as the modeler does."""

    def __init__(self, http: FlaskClient) -> None:
        self.client = http
        self.token = read_csrf_token(http)

    def __call__(self, method: str, url: str, body: Any = None, *, csrf: bool = True) -> Any:
        headers = {"X-CSRFToken": self.token} if csrf else {}
        return self.client.open(url, method=method, json=body, headers=headers)


@pytest.fixture
def api(as_user, owner):  # noqa: F811 - the imported fixture
    return Json(as_user("owner"))


@pytest.fixture
def api_as(as_user):  # noqa: F811 - the imported fixture
    def make(username: str) -> Json:
        return Json(as_user(username))
    return make
