"""Task handling of every process (issue 10): 转办, 催办, 撤回, 退回到前序步骤 and the 审批意见 history."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.engine import clock
from adapters.services.bootstrap import Wiring
from adapters.services.platform import deploy, handling, instances, rewinding, tasks
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData
from storage.repositories.notifications import NotificationRepository
from tests.support.bpmn import approval_process
from tests.support.platform import Directory
from tests.support.scenarios import linear, service
from tests.support.scenarios import task as step

APPROVE = {"decision": "approve", "comment": ""}


def _open(wiring: Wiring, instance_id: int) -> list:
    with wiring.platform.reader() as uow:
        return list(uow.tasks.open_for_instance(instance_id))


def _one(wiring: Wiring, instance_id: int) -> str:
    found = _open(wiring, instance_id)
    assert len(found) == 1, found
    return found[0].id


def _notes(wiring: Wiring, people: Directory, username: str) -> list[str]:
    with wiring.platform.reader() as uow:
        rows = NotificationRepository(uow.session).for_user(people.actor(username).user_id, limit=20)
        return [n.title for n in rows]


@pytest.fixture
def approval(wiring: Wiring, people: Directory) -> int:
    deploy.deploy(wiring.platform, {"approval.bpmn": approval_process()}, "admin")
    return instances.start_instance(wiring.platform, people.actor("inst_a"), "approval", business_key="C-1")


def test_a_task_is_handed_to_a_colleague_of_the_same_role_who_is_told_with_the_note(wiring, people, approval):
    submit = _one(wiring, approval)
    name = handling.transfer(wiring.platform, people.actor("inst_a"), submit, people.actor("inst_a2").user_id,
                             "我下周出差")
    with wiring.platform.reader() as uow:
        assert uow.tasks.get(submit).assignee_id == people.actor("inst_a2").user_id
        assert [o.kind for o in handling.opinions(uow, approval)] == ["transfer"]
    assert name
    assert any("转办" in t and "我下周出差" in t for t in _notes(wiring, people, "inst_a2"))
    with pytest.raises(Forbidden):  # no longer inst_a's task
        handling.transfer(wiring.platform, people.actor("inst_a"), submit, people.actor("inst_a").user_id, "")


def test_a_task_cannot_be_handed_to_someone_of_another_organisation(wiring, people, approval):
    with pytest.raises(InvalidData) as err:
        handling.transfer(wiring.platform, people.actor("inst_a"), _one(wiring, approval),
                          people.actor("inst_b").user_id, "")
    assert "to_user" in err.value.errors


def test_the_submitter_reminds_the_reviewers_once_in_four_hours(wiring, people, approval):
    fake = clock.FixedClock(dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC))
    with clock.use_clock(fake):
        tasks.complete(wiring.platform, people.actor("inst_a"), _one(wiring, approval), APPROVE)
        review = _one(wiring, approval)
        assert handling.remind(wiring.platform, people.actor("inst_a"), review, "请尽快审核") == 1
        assert any("催办" in t for t in _notes(wiring, people, "bureau"))
        with pytest.raises(Conflict, match="后可再次催办"):
            handling.remind(wiring.platform, people.actor("inst_a"), review, "")
        fake.advance(dt.timedelta(hours=4, minutes=1))
        handling.remind(wiring.platform, people.actor("inst_a"), review, "")
    with pytest.raises(Forbidden):  # the reviewer cannot remind themself
        handling.remind(wiring.platform, people.actor("bureau"), review, "")
    with wiring.platform.reader() as uow:
        assert len(handling.reminders(uow, review)) == 2


def test_a_submission_is_withdrawn_while_nobody_took_the_next_step_and_comes_back_with_its_data(
        wiring, people, approval):
    submit = _one(wiring, approval)
    tasks.complete(wiring.platform, people.actor("inst_a"), submit, {"decision": "approve", "comment": "材料齐全"})
    review = _one(wiring, approval)
    assert rewinding.withdrawal_refusal(wiring.platform, people.actor("inst_a"), submit) == ""
    rewinding.withdraw(wiring.platform, people.actor("inst_a"), submit)
    with wiring.platform.reader() as uow:
        assert uow.tasks.get(review).state == "cancelled"
        again = uow.tasks.get(submit)
        assert (again.state, again.assignee_id) == ("open", people.actor("inst_a").user_id)
        assert uow.tasks.draft(submit, again.assignee_id).data["comment"] == "材料齐全"
        assert [o.kind for o in handling.opinions(uow, approval)] == ["decision", "withdraw"]
    tasks.complete(wiring.platform, people.actor("inst_a"), submit, APPROVE)  # submits again
    assert _open(wiring, approval)[0].bpmn_id == "review"


def test_a_submission_cannot_be_withdrawn_once_the_next_step_was_claimed(wiring, people, approval):
    submit = _one(wiring, approval)
    tasks.complete(wiring.platform, people.actor("inst_a"), submit, APPROVE)
    tasks.claim(wiring.platform, people.actor("bureau"), _one(wiring, approval))
    assert "认领" in rewinding.withdrawal_refusal(wiring.platform, people.actor("inst_a"), submit)
    with pytest.raises(Conflict, match="认领"):
        rewinding.withdraw(wiring.platform, people.actor("inst_a"), submit)
    with pytest.raises(Forbidden):  # and never someone else's submission
        rewinding.withdraw(wiring.platform, people.actor("inst_a2"), submit)


def _with_service(wiring: Wiring, people: Directory, *, rerunnable: bool) -> tuple[int, list[int]]:
    calls: list[int] = []
    wiring.platform.runtime.services.register("count_call", lambda: calls.append(1) or len(calls),
                                              rerunnable=rerunnable)
    deploy.deploy(wiring.platform, {"svc.bpmn": linear("svc", step(0, "填报"), service(1, "count_call", {}),
                                                       step(2, "复核"))}, "admin")
    instance_id = instances.start_instance(wiring.platform, people.actor("inst_a"), "svc")
    tasks.complete(wiring.platform, people.actor("inst_a"), _one(wiring, instance_id), APPROVE)
    return instance_id, calls


def test_withdrawal_is_refused_across_a_service_task_that_must_not_run_twice(wiring, people):
    instance_id, calls = _with_service(wiring, people, rerunnable=False)
    with wiring.platform.reader() as uow:
        first = next(t for t in uow.tasks.for_instance(instance_id) if t.bpmn_id == "s0")
    with pytest.raises(Conflict, match="调用服务.*不能重复执行"):
        rewinding.withdraw(wiring.platform, people.actor("inst_a"), first.id)
    assert calls == [1]


def test_withdrawal_across_a_rerunnable_service_task_runs_it_again_on_resubmission(wiring, people):
    instance_id, calls = _with_service(wiring, people, rerunnable=True)
    with wiring.platform.reader() as uow:
        first = next(t for t in uow.tasks.for_instance(instance_id) if t.bpmn_id == "s0")
    rewinding.withdraw(wiring.platform, people.actor("inst_a"), first.id)
    tasks.complete(wiring.platform, people.actor("inst_a"), first.id, APPROVE)
    assert calls == [1, 1]


def test_the_reviewer_returns_to_an_earlier_step_whose_doer_gets_it_with_the_reason(wiring, people):
    deploy.deploy(wiring.platform, {"three.bpmn": linear("three", step(0, "填报"), step(1, "初审"),
                                                         step(2, "复核"))}, "admin")
    instance_id = instances.start_instance(wiring.platform, people.actor("inst_a"), "three")
    first = _one(wiring, instance_id)
    tasks.complete(wiring.platform, people.actor("inst_a"), first, {"decision": "approve", "comment": "第一次"})
    tasks.complete(wiring.platform, people.actor("inst_a2"), _one(wiring, instance_id), APPROVE)
    last = _one(wiring, instance_id)
    targets = rewinding.return_targets(wiring.platform, people.actor("inst_a2"), last)
    assert [t.step for t in targets] == ["初审", "填报"]
    with pytest.raises(InvalidData, match="reason"):
        rewinding.return_to(wiring.platform, people.actor("inst_a2"), last, first, " ")
    rewinding.return_to(wiring.platform, people.actor("inst_a2"), last, first, "身份证复印件不清晰")
    with wiring.platform.reader() as uow:
        back = uow.tasks.get(first)
        assert (back.state, back.assignee_id) == ("open", people.actor("inst_a").user_id)
        assert uow.tasks.get(last).state == "cancelled"
        shown = handling.last_return(uow, back)
        assert shown is not None and shown.note == "身份证复印件不清晰" and shown.step == "复核"
        history = handling.opinions(uow, instance_id)
        assert [(o.step, o.kind, o.decision) for o in history] == [
            ("填报", "decision", "通过"), ("初审", "decision", "通过"), ("填报", "return", "")]
        assert history[0].note == "第一次"
    assert any("身份证复印件不清晰" in t for t in _notes(wiring, people, "inst_a"))


def test_return_is_limited_to_the_steps_the_diagram_names_in_return_to(wiring, people):
    xml = linear("limited", step(0, "填报"), step(1, "初审"), step(2, "复核"))
    xml = xml.replace(b'<bpmn:userTask id="s2" name="\xe5\xa4\x8d\xe6\xa0\xb8"><bpmn:extensionElements>'
                      b'<spiffworkflow:properties>',
                      b'<bpmn:userTask id="s2" name="\xe5\xa4\x8d\xe6\xa0\xb8"><bpmn:extensionElements>'
                      b'<spiffworkflow:properties><spiffworkflow:property name="returnTo" value="s1"/>')
    deploy.deploy(wiring.platform, {"limited.bpmn": xml}, "admin")
    instance_id = instances.start_instance(wiring.platform, people.actor("inst_a"), "limited")
    first = _one(wiring, instance_id)
    tasks.complete(wiring.platform, people.actor("inst_a"), first, APPROVE)
    tasks.complete(wiring.platform, people.actor("inst_a"), _one(wiring, instance_id), APPROVE)
    last = _one(wiring, instance_id)
    assert [t.step for t in rewinding.return_targets(wiring.platform, people.actor("inst_a"), last)] == ["初审"]
    with pytest.raises(InvalidData, match="target"):
        rewinding.return_to(wiring.platform, people.actor("inst_a"), last, first, "不允许")


def test_a_delegate_handles_the_delegators_tasks_until_revoked(wiring, people, approval):
    from adapters.services.platform import delegation, directory
    submit = _one(wiring, approval)
    tasks.claim(wiring.platform, people.actor("inst_a"), submit)
    with pytest.raises(InvalidData) as err:
        delegation.delegate(wiring.platform, people.actor("inst_a"), to_user_id=people.actor("inst_b").user_id,
                            role_key="institution_staff", ends_on=wiring.platform.today() - dt.timedelta(days=1))
    assert set(err.value.errors) == {"to_user", "ends_on"}
    delegation_id = delegation.delegate(
        wiring.platform, people.actor("inst_a"), to_user_id=people.actor("inst_a2").user_id,
        role_key="institution_staff", ends_on=wiring.platform.today() + dt.timedelta(days=7), note="休假")
    delegate = directory.actor_by_username(wiring.platform, "inst_a2")
    assert [t.id for t, who in delegation.delegated_tasks(wiring.platform, delegate)] == [submit]
    tasks.complete(wiring.platform, delegate, submit, APPROVE)  # claimed by inst_a, done by the delegate
    page = delegation.delegations_page(wiring.platform, people.actor("inst_a"))
    assert [(r.direction, r.state, r.note) for r in page.rows] == [("given", "active", "休假")]
    delegation.revoke(wiring.platform, people.actor("inst_a"), delegation_id)
    assert directory.actor_by_username(wiring.platform, "inst_a2").delegations == ()
    with wiring.platform.reader() as uow:
        assert [e.action for e in uow.audit.for_instance(approval)][-1] == "task.complete"
