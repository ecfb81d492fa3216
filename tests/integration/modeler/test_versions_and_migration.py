"""Versions (instances keep theirs, new ones use the latest, roll-back, export) and instance migration."""

from __future__ import annotations

import json

import pytest

from adapters.services.platform import deploy, directory, drafts, instances, migration, tasks, versions
from adapters.services.platform.errors import Forbidden, InvalidData
from tests.support.platform import PASSWORD
from tests.support.scenarios import linear, script, task


@pytest.fixture
def owner(wiring, people):
    directory.create_user(wiring.platform, username="owner", display_name="王科长", password=PASSWORD,
                          organisation_code="CITY", role_keys=("process_owner",))
    return people.actor("owner")


V1 = linear("lic", task(0, "填写申请"), task(1, "审核"))


def renamed(xml: bytes, old: str, new: str) -> bytes:
    """The diagram with step ``old`` given the id ``new`` (attributes and lane references)."""
    for a, b in ((f'"{old}"', f'"{new}"'), (f">{old}<", f">{new}<")):
        xml = xml.replace(a.encode(), b.encode())
    return xml


# The first step removed: start → 审核 (s1) → end.
V2_REMOVED = renamed(linear("lic", task(0, "审核")), "s0", "s1")
# The first step renamed to s5 and a new step s7 inserted after it; SpiffWorkflow's structural alignment alone
# would put a waiting 填写申请 on s7 (the step whose successor matches), so the owner names the mapping.
V2_RENAMED = renamed(renamed(renamed(linear("lic", task(0, "填写申请（新）"), task(1, "补充材料"), task(2, "审核")),
                                     "s1", "s7"), "s2", "s1"), "s0", "s5")


def start(wiring, people, n=1):
    return [instances.start_instance(wiring.platform, people.actor("inst_a"), "lic") for _ in range(n)]


def open_tasks(wiring, iid):
    with wiring.platform.reader() as uow:
        return list(uow.tasks.open_for_instance(iid))


def version_of(wiring, people, iid):
    return instances.show_instance(wiring.platform, people.actor("admin"), iid).version


def test_instances_keep_their_version_and_new_ones_start_on_the_latest(wiring, people, owner):
    deploy.deploy(wiring.platform, {"lic.bpmn": V1}, "admin")
    [old] = start(wiring, people)
    deploy.deploy(wiring.platform, {"lic.bpmn": linear("lic", task(0, "填写申请书"), task(1, "审核"))}, "owner",
                  comment="改名")
    [new] = start(wiring, people)
    assert (version_of(wiring, people, old), version_of(wiring, people, new)) == (1, 2)
    assert open_tasks(wiring, old)[0].title == "填写申请" and open_tasks(wiring, new)[0].title == "填写申请书"
    rows = versions.history(wiring.platform, owner, "lic")
    assert [(r["version"], r["running"], r["comment"]) for r in rows] == [(2, 1, "改名"), (1, 1, "")]


def test_rollback_deploys_the_old_version_as_the_newest(wiring, people, owner):
    deploy.deploy(wiring.platform, {"lic.bpmn": V1}, "admin")
    deploy.deploy(wiring.platform, {"lic.bpmn": linear("lic", task(0, "新步骤"))}, "admin")
    assert versions.rollback(wiring.platform, owner, "lic", 1, "新步骤有误") == 3
    [iid] = start(wiring, people)
    assert version_of(wiring, people, iid) == 3 and open_tasks(wiring, iid)[0].title == "填写申请"
    with wiring.platform.reader() as uow:
        [entry] = [e for e in uow.audit.latest() if e.action == "process.rollback"]
    assert entry.username == "owner" and entry.detail["from_version"] == 1 and "s1" in entry.detail["diff"]["added"]


def test_export_writes_the_deployed_diagram_and_its_forms_into_the_folders(wiring, people, owner, tmp_path):
    deploy.deploy(wiring.platform, {"lic.bpmn": V1}, "admin")
    draft = drafts.open_draft(wiring.platform, owner, "lic")
    drafts.save_draft(wiring.platform, owner, draft.id, draft.xml.replace("审核", "复核"))
    drafts.deploy_draft(wiring.platform, owner, draft.id, "复核")
    bpmn, forms = tmp_path / "bpmn", tmp_path / "forms"
    bpmn.mkdir(), forms.mkdir()
    written = versions.export(wiring.platform, bpmn, forms)
    assert {p.path.name for p in written} == {"lic.bpmn", "generic_approval.json"}
    assert "复核" in (bpmn / "lic.bpmn").read_text(encoding="utf-8")
    assert json.loads((forms / "generic_approval.json").read_text(encoding="utf-8"))["key"] == "generic_approval"
    versions.export(wiring.platform, bpmn, forms, {"lic": 1})
    assert "复核" not in (bpmn / "lic.bpmn").read_text(encoding="utf-8")


def _req(**kw):
    body = {"from_version": 1, "to_version": 2, "instance_ids": None, "mapping": {}} | kw
    return migration.request_from("lic", body)


def test_dry_run_says_per_instance_whether_it_can_move(wiring, people, owner):
    deploy.deploy(wiring.platform, {"lic.bpmn": V1}, "admin")
    first, second = start(wiring, people, 2)
    tasks.complete(wiring.platform, people.actor("inst_a"), open_tasks(wiring, second)[0].id, {"decision": "approve"})
    # Version 2 turns the review (s1) into a script: the second instance, waiting in review, cannot move.
    deploy.deploy(wiring.platform, {"lic.bpmn": linear("lic", task(0, "填写申请"), script(1, "x = 1"))}, "admin")
    rows = {r["id"]: r for r in migration.dry_run(wiring.platform, owner, _req())}
    assert rows[first]["can_move"] and rows[first]["reasons"] == []
    assert not rows[second]["can_move"] and "类型已改变" in rows[second]["reasons"][0]
    assert version_of(wiring, people, first) == 1  # a dry run changes nothing


def test_an_active_step_that_was_removed_is_refused_unless_mapped(wiring, people, owner):
    deploy.deploy(wiring.platform, {"lic.bpmn": V1}, "admin")
    [iid] = start(wiring, people)
    deploy.deploy(wiring.platform, {"lic.bpmn": V2_REMOVED}, "admin")
    result = migration.migrate(wiring.platform, owner, _req())
    assert result["moved"] == 0 and "已删除" in result["refused"][0]["reasons"][0]
    assert version_of(wiring, people, iid) == 1
    assert migration.migrate(wiring.platform, owner, _req(mapping={"s0": "s1"}))["moved"] == 1
    assert [t.title for t in open_tasks(wiring, iid)] == ["审核"]


def test_a_renamed_step_moves_with_a_mapping_and_its_inbox_row_follows(wiring, people, owner):
    deploy.deploy(wiring.platform, {"lic.bpmn": V1}, "admin")
    [iid] = start(wiring, people)
    [before] = open_tasks(wiring, iid)
    deploy.deploy(wiring.platform, {"lic.bpmn": V2_RENAMED}, "admin")
    result = migration.migrate(wiring.platform, owner, _req(mapping={"s0": "s5"}))
    assert result == {"moved": 1, "refused": []}
    [after] = open_tasks(wiring, iid)
    assert after.id == before.id and (after.bpmn_id, after.title) == ("s5", "填写申请（新）")
    assert version_of(wiring, people, iid) == 2
    with wiring.platform.reader() as uow:
        [entry] = [e for e in uow.audit.for_instance(iid) if e.action == "instance.migrate"]
    assert entry.username == "owner" and entry.detail["tasks"] == [{"task_id": after.id, "from": "s0", "to": "s5"}]
    tasks.complete(wiring.platform, people.actor("inst_a"), after.id, {"decision": "approve"})
    assert [t.bpmn_id for t in open_tasks(wiring, iid)] == ["s7"]


def test_a_new_due_date_rule_applies_to_moved_tasks(wiring, people, owner, fixed_clock):
    deploy.deploy(wiring.platform, {"lic.bpmn": V1}, "admin")
    [iid] = start(wiring, people)
    assert open_tasks(wiring, iid)[0].due_date is None
    deploy.deploy(wiring.platform, {"lic.bpmn": linear("lic", task(0, "填写申请", due="'2026-03-20'"),
                                                       task(1, "审核"))}, "admin")
    migration.migrate(wiring.platform, owner, _req())
    assert str(open_tasks(wiring, iid)[0].due_date) == "2026-03-20"


def test_migration_parameters_are_checked_and_only_owners_migrate(wiring, people, owner):
    with pytest.raises(InvalidData) as err:
        migration.request_from("lic", {"from_version": 2, "to_version": 1})
    assert "to_version" in err.value.errors
    deploy.deploy(wiring.platform, {"lic.bpmn": V1}, "admin")
    with pytest.raises(Forbidden):
        migration.dry_run(wiring.platform, people.actor("bureau"), _req())
