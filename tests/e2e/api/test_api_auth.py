"""Only a bearer token opens the API: no token, a wrong token, a stopped user or a session cookie all get 401."""

from __future__ import annotations

import time

import pytest

from adapters.services.platform import user_admin
from tests.e2e.api.conftest import Api

ENDPOINTS = [
    ("get", "/processes"), ("post", "/instances"), ("get", "/instances/1"), ("get", "/tasks"),
    ("get", "/tasks/x"), ("post", "/tasks/x/claim"), ("post", "/tasks/x/unclaim"), ("post", "/tasks/x/complete"),
    ("post", "/documents"), ("get", "/documents/1"), ("get", "/documents/1/content"),
]


def _call(api: Api, method: str, path: str, **kwargs):
    return getattr(api, method)(path, **kwargs)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_answers_401_without_a_token(api: Api, method, path):
    response = _call(api.as_user(None), method, path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"] == "Unauthorized" and "Bearer" in response.get_json()["message"]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_answers_401_to_an_unknown_token(api: Api, method, path):
    response = api.client.open(f"/api/v1{path}", method=method.upper(),
                               headers={"Authorization": "Bearer not-a-real-token"})
    assert response.status_code == 401


def test_an_unknown_token_is_audited_as_denied(api: Api, wiring):
    api.client.get("/api/v1/processes", headers={"Authorization": "Bearer guessed"})
    with wiring.platform.uow() as uow:
        [entry] = [e for e in uow.audit.latest() if e.action == "api.auth"]
    assert entry.result == "denied" and "guessed" not in str(entry.detail)


def test_other_authorization_schemes_are_refused(api: Api):
    response = api.client.get("/api/v1/processes", headers={"Authorization": "Basic aW5zdF9hOlBhc3N3MHJkIQ=="})
    assert response.status_code == 401


def test_a_stopped_user_s_token_no_longer_works(api: Api, wiring):
    with wiring.platform.uow() as uow:
        uow.directory.user_by_name("inst_a").active = False
        uow.commit()
    assert api.get("/processes").status_code == 401


def test_a_signed_in_browser_session_is_not_accepted_as_api_auth(api: Api, people):
    with api.client.session_transaction() as session:
        session["uid"] = people.actor("admin").user_id
        session["seen"] = time.time()
    assert api.as_user(None).get("/processes").status_code == 401
    assert api.as_user(None).post("/instances", json={"process_key": "approval"}).status_code == 401


def test_the_token_decides_who_acts_even_with_an_admin_session_cookie(api: Api, people, started):
    with api.client.session_transaction() as session:
        session["uid"] = people.actor("admin").user_id
        session["seen"] = time.time()
    assert api.as_user("inst_b").get(f"/instances/{started['id']}").status_code == 404
    assert api.as_user("admin").get(f"/instances/{started['id']}").status_code == 200


def test_posts_need_no_csrf_token_because_they_carry_a_bearer_token(api: Api, deployed, app):
    assert app.config.get("WTF_CSRF_ENABLED", True)
    assert api.post("/instances", json={"process_key": deployed}).status_code == 201


def test_csrf_stays_on_for_the_rest_of_the_app(app):
    # A form view outside the API (registered here, as the UI blueprints may not exist yet) still needs the token.
    app.add_url_rule("/probe-form", "probe_form", lambda: "ok", methods=["POST"])
    response = app.test_client().post("/probe-form", data={"x": "1"})
    assert response.status_code == 400


def test_the_openapi_document_is_public(api: Api):
    response = api.as_user(None).get("/openapi.json")
    assert response.status_code == 200 and response.get_json()["openapi"].startswith("3.1")


def test_a_token_issued_by_an_administrator_works_until_it_is_revoked(api: Api, people, wiring):
    admin, user_id = people.actor("admin"), people.actor("inst_b").user_id
    token = user_admin.issue_api_token(wiring.platform, admin, user_id)
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v1/processes", headers=headers).status_code == 200
    assert api.as_user("inst_b").get("/processes").status_code == 401, "the older token stopped working"
    user_admin.revoke_api_token(wiring.platform, admin, user_id)
    assert api.client.get("/api/v1/processes", headers=headers).status_code == 401
