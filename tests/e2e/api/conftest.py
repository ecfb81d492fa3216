"""Fixtures for the JSON API: the real app (CSRF on), bearer tokens per user, a deployed approval process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from adapters.services.bootstrap import Wiring
from adapters.services.platform import deploy
from adapters.services.platform.user_admin import token_hash
from adapters.web.app import create_app
from tests.support.bpmn import approval_process
from tests.support.platform import USERS, Directory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def token_for(username: str) -> str:
    return f"test-token-{username}-0123456789abcdef"


@pytest.fixture
def app(wiring: Wiring, people: Directory) -> Iterator[Flask]:
    # Known tokens per user, stored as the accounts service stores them: only the hex SHA-256.
    with wiring.platform.uow() as uow:
        for username, *_ in USERS:
            user = uow.directory.user_by_name(username)
            assert user is not None
            user.api_token_hash = token_hash(token_for(username))
        uow.commit()
    app = create_app(wiring.settings, wiring=wiring)
    assert app.config.get("WTF_CSRF_ENABLED", True), "the API must work with CSRF protection on"
    yield app


def _read(response: TestResponse) -> TestResponse:
    """Buffer the body and close the response, as a WSGI server would (closing releases a streamed file)."""
    response.get_data()
    response.close()
    return response


@dataclass
class Api:
    """A test client that speaks for one user with a bearer token (None: no Authorization header)."""

    client: FlaskClient
    username: str | None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(self.username)}"} if self.username else {}

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return _read(self.client.get(f"/api/v1{path}", headers=self._headers(), **kwargs))

    def post(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        if json is not None:
            kwargs["json"] = json
        return _read(self.client.post(f"/api/v1{path}", headers=self._headers(), **kwargs))

    def as_user(self, username: str | None) -> Api:
        return Api(self.client, username)


@pytest.fixture
def api(app: Flask) -> Api:
    """Speaks for inst_a (institution staff of INST-A); ``api.as_user(name)`` for the others."""
    return Api(app.test_client(), "inst_a")


@pytest.fixture
def deployed(wiring: Wiring, people: Directory) -> str:
    """The approval process (institution submits, bureau reviews) deployed as version 1."""
    deploy.deploy(wiring.platform, {"approval.bpmn": approval_process()}, "admin")
    return "approval"


@pytest.fixture
def started(api: Api, deployed: str) -> dict[str, Any]:
    """An instance started by inst_a through the API, waiting at the institution's submit task."""
    response = api.post("/instances", json={"process_key": deployed, "business_key": "C-2026-001",
                                             "title": "第一期特种作业培训"})
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body
