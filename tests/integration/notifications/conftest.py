"""Notification tests run against a real local SMTP server; the wiring here has SMTP configured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.services.bootstrap import Wiring
from adapters.services.platform import deploy, notifications
from storage.models import User
from tests.integration.notifications.smtp_server import SmtpTestServer
from tests.support.bpmn import approval_process, definitions, flow, lanes, user_task
from tests.support.platform import Directory, sqlite_wiring

PUBLIC_URL = "https://anpei.example.cn"


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    server = SmtpTestServer().start()
    yield server
    server.stop()


@pytest.fixture
def wiring(tmp_path: Path, people_template: Path, smtp: SmtpTestServer) -> Iterator[Wiring]:
    """Overrides the root fixture: the same fresh database, plus SMTP pointing at the test server."""
    wiring = sqlite_wiring(tmp_path, people_template, smtp_host="127.0.0.1", smtp_port=smtp.port,
                           public_url=PUBLIC_URL)
    yield wiring
    wiring.dispose()


@pytest.fixture
def notifier(wiring: Wiring) -> notifications.Notifier:
    return notifications.install(wiring.platform, wiring.settings)


@pytest.fixture
def emails(people: Directory) -> dict[str, str]:
    """Give every demo user an address (the demo directory has none)."""
    addresses = {}
    with people.wiring.platform.uow() as uow:
        for user in uow.session.query(User).all():
            user.email = addresses[user.username] = f"{user.username}@example.cn"
        uow.commit()
    return addresses


def deadline_process() -> bytes:
    """start → one institution task whose due date comes from the instance data → end."""
    body = (lanes({"培训机构": ["start", "submit", "end"]})
            + '<bpmn:startEvent id="start"/>' + flow("f1", "start", "submit")
            + user_task("submit", "提交培训计划", org="organisation_id", due="deadline")
            + flow("f2", "submit", "end") + '<bpmn:endEvent id="end"/>')
    return definitions(f'<bpmn:process id="deadline" name="期限测试" isExecutable="true">{body}</bpmn:process>')


@pytest.fixture
def processes(people: Directory) -> Directory:
    deploy.deploy(people.wiring.platform, {"approval.bpmn": approval_process(), "deadline.bpmn": deadline_process()},
                  "admin")
    return people
