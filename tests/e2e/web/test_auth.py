"""Signing in and out: lock-out, session timeout, CSRF, safe redirects, language (等保 2.0 expectations)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from storage.models import AuditEntry
from tests.e2e.web.conftest import post_form, read_csrf_token, sign_in


def _audit(wiring, action):
    with wiring.platform.uow() as uow:
        rows = uow.session.query(AuditEntry).filter(AuditEntry.action == action).order_by(AuditEntry.id).all()
        return [(r.username, r.result) for r in rows]


def _signed_in(client) -> bool:
    return client.get("/inbox/").status_code == 200


def test_signing_in_with_the_right_password_opens_the_inbox(client):
    response = sign_in(client, "inst_a")
    assert response.status_code == 302 and response.headers["Location"] == "/inbox/"
    page = client.get("/inbox/").get_data(as_text=True)
    assert "待办任务" in page and "inst_a" in page


def test_the_root_page_leads_to_sign_in_or_to_the_inbox(client, login):
    assert client.get("/").headers["Location"].startswith("/login")
    login("inst_a")
    assert client.get("/").headers["Location"] == "/inbox/"


def test_a_wrong_password_and_an_unknown_name_get_the_same_message(client):
    wrong = sign_in(client, "inst_a", "Wrong-pass1")
    unknown = sign_in(client, "nobody", "Wrong-pass1")
    assert wrong.status_code == unknown.status_code == 200
    message = "用户名或密码错误，或账户已被暂时锁定"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert not _signed_in(client)


def test_every_sign_in_attempt_is_audited_with_user_and_result(client, wiring):
    sign_in(client, "nobody", "x")
    sign_in(client, "inst_a", "Wrong-pass1")
    sign_in(client, "inst_a")
    assert _audit(wiring, "auth.login") == [("nobody", "unknown_user"), ("inst_a", "failed"), ("inst_a", "ok")]


def test_an_account_locks_after_repeated_failures_and_opens_again_after_the_lock_time(client, wiring, fixed_clock):
    settings = wiring.settings
    for _ in range(settings.login_max_failures):
        sign_in(client, "inst_a", "Wrong-pass1")
    refused = sign_in(client, "inst_a")  # the right password, but locked
    assert refused.status_code == 200 and not _signed_in(client)
    fixed_clock.advance(dt.timedelta(minutes=settings.login_lock_minutes - 1))
    assert sign_in(client, "inst_a").status_code == 200
    fixed_clock.advance(dt.timedelta(minutes=1, seconds=1))
    assert sign_in(client, "inst_a").status_code == 302
    results = [result for name, result in _audit(wiring, "auth.login")]
    assert results == ["failed"] * (settings.login_max_failures - 1) + ["failed_locked", "locked", "locked", "ok"]


def test_a_successful_sign_in_resets_the_failure_count(client, wiring):
    for _ in range(wiring.settings.login_max_failures - 1):
        sign_in(client, "inst_a", "Wrong-pass1")
    assert sign_in(client, "inst_a").status_code == 302
    with wiring.platform.uow() as uow:
        assert uow.directory.user_by_name("inst_a").failed_logins == 0


def test_a_disabled_account_cannot_sign_in(client, wiring):
    with wiring.platform.uow() as uow:
        uow.directory.user_by_name("inst_a").active = False
        uow.commit()
    assert sign_in(client, "inst_a").status_code == 200
    assert _audit(wiring, "auth.login") == [("inst_a", "inactive")]


def test_an_idle_session_expires_and_the_user_is_told_so(client, login, wiring):
    login("inst_a")
    with client.session_transaction() as session:
        session["seen"] = time.time() - wiring.settings.session_minutes * 60 - 5
    response = client.get("/inbox/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "会话已超时，请重新登录" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert not _signed_in(client)


def test_signing_out_needs_a_post_with_the_csrf_token(client, login, wiring):
    login("inst_a")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert _signed_in(client)
    response = post_form(client, "/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not _signed_in(client)
    assert _audit(wiring, "auth.logout") == [("inst_a", "ok")]


def test_a_form_posted_without_the_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "inst_a", "password": "Passw0rd!"})
    assert response.status_code == 400
    assert not _signed_in(client)


def test_a_form_posted_with_another_sessions_token_is_refused(app, client):
    other = app.test_client()
    token = read_csrf_token(other)
    read_csrf_token(client)
    response = client.post("/login", data={"username": "inst_a", "password": "Passw0rd!", "csrf_token": token})
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                                    "http:/evil.example", "evil.example", "/\tevil", "///evil.example"])
def test_sign_in_never_redirects_to_another_site(client, target):
    response = post_form(client, "/login", {"username": "inst_a", "password": "Passw0rd!", "next": target})
    assert response.headers["Location"] == "/inbox/"


def test_sign_in_goes_back_to_the_page_that_asked_for_it(client):
    response = client.get("/account")
    assert response.headers["Location"].startswith("/login?next=")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/account"' in page
    response = post_form(client, "/login", {"username": "inst_a", "password": "Passw0rd!", "next": "/account"})
    assert response.headers["Location"] == "/account"


def test_the_sign_in_page_sends_a_signed_in_user_on(client, login):
    login("inst_a")
    assert client.get("/login?next=/account").headers["Location"] == "/account"
    assert client.get("/login?next=//evil.example").headers["Location"] == "/inbox/"


def test_the_language_switch_shows_english_and_only_returns_to_local_pages(client, login):
    response = client.get("/language/en?next=/login")
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in" in page and "Username" in page and 'lang="en"' in page
    assert client.get("/language/zh?next=https://evil.example/").headers["Location"] == "/"
    assert "账号登录" in client.get("/login").get_data(as_text=True)


def test_the_language_picked_before_signing_in_is_kept(client, login):
    client.get("/language/en")
    login("inst_a")
    assert "My tasks" in client.get("/inbox/").get_data(as_text=True)


def test_a_user_changes_their_password_with_the_current_one(client, login, as_user):
    login("inst_a")
    bad = post_form(client, "/account/password", {"current": "nope", "new": "short", "confirm": "other"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "当前密码不正确" in page and "密码至少 8 位" in page and "两次输入的新密码不一致" in page
    good = post_form(client, "/account/password", {"current": "Passw0rd!", "new": "Newpass123", "confirm": "Newpass123"})
    assert good.status_code == 302
    fresh = client.application.test_client()
    assert sign_in(fresh, "inst_a", "Passw0rd!").status_code == 200
    assert sign_in(fresh, "inst_a", "Newpass123").status_code == 302


def test_a_user_sets_english_on_the_account_page_and_keeps_it_at_the_next_sign_in(client, login, as_user):
    login("inst_a")
    assert post_form(client, "/account/language", {"language": "en"}).status_code == 302
    assert "My account" in client.get("/account").get_data(as_text=True)
    other = as_user("inst_a")
    assert "My tasks" in other.get("/inbox/").get_data(as_text=True)
    assert post_form(client, "/account/language", {"language": "xx"}).status_code == 422
