"""``demo load`` adds the enterprises family: records, one user of every role, a suspension waiting for its roster."""

from __future__ import annotations

from adapters.services.platform.setup import ROLES
from adapters.web.app import create_app
from tests.bpmn.coverage import BPMN_DIR


def test_demo_load_gives_every_role_a_user_and_suspends_one_enterprise(wiring):
    app = create_app(wiring.settings, wiring=wiring)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["processes", "deploy", str(BPMN_DIR)]).exit_code == 0
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "天泓化工" in first.output
    for username in ("jianguan", "zzjianguan", "tianhong", "kaowu"):
        assert username in first.output
    assert "submit_roster" in runner.invoke(args=["tasks", "list", "--as", "tianhong"]).output
    with wiring.platform.reader() as uow:
        held = {role.key for user in uow.directory.users() for role in user.roles}
    assert {spec.key for spec in ROLES} <= held
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "天泓化工有限公司 recorded" not in again.output
