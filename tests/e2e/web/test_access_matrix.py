"""Who may open which page: every page × every kind of user, in one table.

Each row of ``PAGES`` is ``Page(method, path, allowed)``: ``allowed`` is the set of usernames (from the demo
directory: admin, bureau, inst_a, inst_b, site) who get the page, or ``EVERYONE`` for any signed-in user.
Paths may use placeholders filled from the test's data: ``{org:CODE}`` (an organisation id), ``{user:NAME}``
(a user id) and ``{task:inst_a}`` / ``{task:inst_b}`` (the open task of an approval started by that user).
Expected answers: anonymous → 302 to /login (POSTs carry a valid anonymous CSRF token, so sign-in is what
stops them); not allowed → ``DENIED`` (404 — pages of others are not revealed — or 403); allowed → 200 for GET, 302 for
POST. Other areas append their rows to ``PAGES``; POST rows are sent with a valid CSRF token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.e2e.web.conftest import post_form

EVERYONE = frozenset({"admin", "bureau", "inst_a", "inst_b", "site"})
ADMINS = frozenset({"admin"})
DENIED = (403, 404)


@dataclass(frozen=True)
class Page:
    method: str
    path: str
    allowed: frozenset[str]
    data: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


PAGES = [
    # -- part A: sign-in, inbox, administration
    Page("GET", "/account", EVERYONE),
    Page("GET", "/inbox/", EVERYONE),
    Page("GET", "/inbox/?tab=group", EVERYONE),
    Page("GET", "/inbox/?tab=done", EVERYONE),
    Page("POST", "/inbox/{task:inst_a}/claim", frozenset({"inst_a"})),
    Page("POST", "/inbox/{task:inst_b}/claim", frozenset({"inst_b"})),
    Page("GET", "/admin/organisations", ADMINS),
    Page("GET", "/admin/organisations/new", ADMINS),
    Page("GET", "/admin/organisations/{org:INST-A}", ADMINS),
    Page("GET", "/admin/users", ADMINS),
    Page("GET", "/admin/users/new", ADMINS),
    Page("GET", "/admin/users/{user:inst_a}", ADMINS),
    Page("POST", "/admin/users/{user:inst_b}/unlock", ADMINS),
    Page("POST", "/admin/users/{user:site}/token", ADMINS),
    Page("GET", "/admin/roles", ADMINS),
    Page("POST", "/admin/roles/institution_staff", ADMINS, (("name", "培训机构经办人"), ("lane_name", "培训机构"))),
    Page("GET", "/admin/audit", ADMINS),
]
USERS = ("anonymous", "admin", "bureau", "inst_a", "inst_b", "site")


@pytest.fixture
def placeholders(people, approval, open_task, wiring) -> dict[str, str]:
    values = {f"org:{code}": str(org_id) for code, org_id in people.orgs.items()}
    with wiring.platform.uow() as uow:
        values.update({f"user:{u.username}": str(u.id) for u in uow.directory.users()})
    values["task:inst_a"] = open_task(approval("inst_a", "M-A"))
    values["task:inst_b"] = open_task(approval("inst_b", "M-B"))
    return values


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{([a-z]+:[^}]+)\}", lambda m: values[m.group(1)], path)


def _expected(page: Page, user: str) -> tuple[int, ...]:
    if user == "anonymous":
        return (302,)
    if user not in page.allowed:
        return DENIED
    return (200,) if page.method == "GET" else (302, 200)


@pytest.mark.parametrize("user", USERS)
def test_every_page_answers_each_user_as_the_matrix_says(user: str, app, login, placeholders):
    """One database per user (setting one up is the slow part); every row is checked and all misses reported."""
    client = login(user) if user != "anonymous" else app.test_client()
    misses = []
    for page in PAGES:
        path = _fill(page.path, placeholders)
        response = client.get(path) if page.method == "GET" else post_form(client, path, dict(page.data))
        location = response.headers.get("Location", "")
        if response.status_code not in _expected(page, user):
            misses.append(f"{page.method} {path}: {response.status_code}, expected {_expected(page, user)}")
        elif user == "anonymous" and not location.startswith("/login"):
            misses.append(f"{page.method} {path}: redirected to {location!r}, expected the sign-in page")
    assert not misses, f"{user}:\n" + "\n".join(misses)
