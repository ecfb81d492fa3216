"""Running instances through the platform: sandbox at run time, incidents and retry, timers, messages, restarts."""

import datetime as dt
from pathlib import Path

import pytest

from adapters.engine.errors import TaskNotReady
from adapters.services.bootstrap import bootstrap
from adapters.services.platform import deploy, instances, tasks, timers
from adapters.services.platform.errors import Conflict, Forbidden, NotFound
from tests.support.scenarios import (
    linear,
    message_wait,
    script,
    service,
    task,
    timer_wait,
    with_message,
    with_start_property,
)


def start(wiring, people, xml, key, user="inst_a", **kwargs):
    deploy.deploy(wiring.platform, {f"{key}.bpmn": xml}, "admin")
    return instances.start_instance(wiring.platform, people.actor(user), key, **kwargs)


def test_an_endless_loop_becomes_an_incident_not_a_hung_worker(wiring, people):
    iid = start(wiring, people, linear("loop", script(0, "n = 0\nwhile True:\n    n += 1")), "loop")
    view = instances.show_instance(wiring.platform, people.actor("admin"), iid)
    assert view.status == "incident"
    [incident] = view.incidents
    assert incident.element_id == "s0" and "steps" in incident.message


def test_a_slow_script_is_stopped_by_the_time_budget(tmp_path, db_template):
    from tests.support.platform import sqlite_wiring

    slow = sqlite_wiring(tmp_path / "slow", db_template, script_max_seconds=0.01, script_max_steps=10**9)
    try:
        from tests.support.platform import populate

        cast = populate(slow)
        iid = start(slow, cast, linear("slow", script(0, "n = 0\nwhile n >= 0:\n    n += 1")), "slow")
        [incident] = instances.show_instance(slow.platform, cast.actor("admin"), iid).incidents
        assert "0.01 s" in incident.message
    finally:
        slow.dispose()


def test_the_sandbox_blocks_a_dunder_escape_at_run_time_too(wiring, people):
    # Compiled at deploy it is refused; data can still never reach attributes with a leading underscore.
    xml = linear("attr", script(0, "name = value.upper()"), task(1))
    iid = start(wiring, people, xml, "attr", data={"value": "abc"})
    assert instances.show_instance(wiring.platform, people.actor("admin"), iid).status == "running"


def test_a_failing_service_names_its_real_error_and_can_be_retried(wiring, people):
    calls = {"n": 0}

    def flaky(code):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("provincial platform unreachable")
        return {"code": code, "ok": True}

    wiring.platform.runtime.services.register("province/lookup", flaky)
    xml = linear("svc", service(0, "province/lookup", {"code": "'A1'"}), task(1))
    iid = start(wiring, people, xml, "svc")
    admin = people.actor("admin")
    [incident] = instances.show_instance(wiring.platform, admin, iid).incidents
    assert incident.element_id == "s0" and "provincial platform unreachable" in incident.message
    assert "NameError" not in incident.message
    with pytest.raises(Forbidden):
        instances.retry_instance(wiring.platform, people.actor("inst_a"), iid)
    assert instances.retry_instance(wiring.platform, admin, iid) == "running"
    view = instances.show_instance(wiring.platform, admin, iid)
    assert view.incidents == [] and [t.bpmn_id for t in view.active_tasks] == ["s1"]


def test_a_gateway_condition_failing_at_run_time_is_an_incident_on_the_gateway(wiring, people):
    from tests.support.bpmn import approval_process

    xml = approval_process().replace(b"decision == 'approve'", b"undefined_variable == 1")
    deploy.deploy(wiring.platform, {"a.bpmn": xml}, "admin")
    iid = instances.start_instance(wiring.platform, people.actor("inst_a"), "approval")
    [submit] = instances.show_instance(wiring.platform, people.actor("inst_a"), iid).active_tasks
    tasks.complete(wiring.platform, people.actor("inst_a"), submit.id, {"decision": "approve"})
    [review] = instances.show_instance(wiring.platform, people.actor("bureau"), iid).active_tasks
    status = tasks.complete(wiring.platform, people.actor("bureau"), review.id, {"decision": "approve"})
    assert status == "incident"
    [incident] = instances.show_instance(wiring.platform, people.actor("admin"), iid).incidents
    assert incident.element_id == "gw" and "undefined_variable" in incident.message


def test_completing_a_task_twice_is_a_conflict(wiring, people):
    iid = start(wiring, people, linear("two", task(0), task(1)), "two")
    inst = people.actor("inst_a")
    [first] = instances.show_instance(wiring.platform, inst, iid).active_tasks
    tasks.complete(wiring.platform, inst, first.id, {"decision": "approve"})
    with pytest.raises(Conflict):
        tasks.complete(wiring.platform, inst, first.id, {"decision": "approve"})


def test_a_task_of_another_institution_cannot_be_seen_or_completed(wiring, people):
    iid = start(wiring, people, linear("one", task(0)), "one")
    [t] = instances.show_instance(wiring.platform, people.actor("inst_a"), iid).active_tasks
    with pytest.raises(NotFound):
        tasks.complete(wiring.platform, people.actor("inst_b"), t.id, {"decision": "approve"})
    with pytest.raises(NotFound):
        instances.show_instance(wiring.platform, people.actor("inst_b"), iid)


def test_a_task_needs_the_lane_role_even_inside_the_organisation(wiring, people):
    iid = start(wiring, people, linear("one", task(0)), "one")
    [t] = instances.show_instance(wiring.platform, people.actor("inst_a"), iid).active_tasks
    with pytest.raises(Forbidden):
        tasks.complete(wiring.platform, people.actor("bureau"), t.id, {"decision": "approve"})


def test_a_task_claimed_by_a_colleague_cannot_be_completed(wiring, people):
    iid = start(wiring, people, linear("one", task(0)), "one")
    [t] = instances.show_instance(wiring.platform, people.actor("inst_a"), iid).active_tasks
    tasks.claim(wiring.platform, people.actor("inst_a2"), t.id)
    with pytest.raises(Conflict):
        tasks.complete(wiring.platform, people.actor("inst_a"), t.id, {"decision": "approve"})


def test_the_engine_refuses_to_run_a_task_that_is_not_ready(wiring, people):
    deploy.deploy(wiring.platform, {"two.bpmn": linear("two", task(0), task(1))}, "admin")
    with wiring.platform.uow() as uow:
        version = uow.processes.latest("two")
        bundle = wiring.platform.runtime.bundle(version.id, lambda: version.spec_json)
    instance = wiring.platform.runtime.start(bundle, {})
    future = next(t for t in instance.workflow.get_tasks() if t.task_spec.bpmn_id == "s1")
    with pytest.raises(TaskNotReady):
        instance.complete(str(future.id), {})


def test_invalid_form_data_names_the_fields_and_changes_nothing(wiring, people):
    from adapters.services.platform.errors import InvalidData

    iid = start(wiring, people, linear("one", task(0)), "one")
    inst = people.actor("inst_a")
    [t] = instances.show_instance(wiring.platform, inst, iid).active_tasks
    with pytest.raises(InvalidData) as caught:
        tasks.complete(wiring.platform, inst, t.id, {"decision": "maybe"})
    assert "decision" in caught.value.errors
    assert instances.show_instance(wiring.platform, inst, iid).active_tasks[0].id == t.id


def test_a_timer_fires_once_when_the_injected_clock_passes_it(wiring, people, fixed_clock):
    iid = start(wiring, people, linear("wait", timer_wait(0, "PT2H"), task(1)), "wait")
    admin = people.actor("admin")
    view = instances.show_instance(wiring.platform, admin, iid)
    assert view.next_timer_at == fixed_clock.value + dt.timedelta(hours=2)
    assert timers.run_due_timers(wiring.platform).fired == 0
    fixed_clock.advance(dt.timedelta(hours=2, seconds=1))
    assert timers.run_due_timers(wiring.platform).fired == 1
    assert timers.run_due_timers(wiring.platform).fired == 0
    view = instances.show_instance(wiring.platform, admin, iid)
    assert [t.bpmn_id for t in view.active_tasks] == ["s1"] and view.next_timer_at is None


def test_a_message_reaches_a_waiting_instance_and_only_then(wiring, people):
    xml = with_message(linear("msg", message_wait(0, "exam_results"), task(1)), "exam_results")
    iid = start(wiring, people, xml, "msg")
    admin = people.actor("admin")
    with pytest.raises(Conflict):
        instances.deliver_message(wiring.platform, admin, iid, "something_else", {})
    assert instances.deliver_message(wiring.platform, admin, iid, "exam_results", {"score": 81}) == "running"
    with pytest.raises(Conflict):
        instances.deliver_message(wiring.platform, admin, iid, "exam_results", {})


def test_a_restart_between_steps_loses_nothing(wiring, people):
    iid = start(wiring, people, linear("three", task(0), script(1, "doubled = count * 2"), task(2)), "three",
                data={"count": 21})
    inst = people.actor("inst_a")
    [t0] = instances.show_instance(wiring.platform, inst, iid).active_tasks
    restarted = bootstrap(wiring.settings)  # a new process: empty spec cache, new engine, same database
    try:
        tasks.complete(restarted.platform, inst, t0.id, {"decision": "approve"})
        [t2] = instances.show_instance(restarted.platform, inst, iid).active_tasks
        _, _, data = tasks.task_context(restarted.platform, inst, t2.id)
        assert data["doubled"] == 42 and data["decision"] == "approve"
    finally:
        restarted.dispose()


def test_a_running_instance_keeps_its_version_when_a_new_one_is_deployed(wiring, people):
    platform = wiring.platform
    v1 = linear("ver", task(0), script(1, "which = 'v1'"), task(2))
    [r1] = deploy.deploy(platform, {"ver.bpmn": v1}, "admin")
    assert deploy.deploy(platform, {"ver.bpmn": v1}, "admin")[0].changed is False
    inst = people.actor("inst_a")
    old = instances.start_instance(platform, inst, "ver")
    [r2] = deploy.deploy(platform, {"ver.bpmn": v1.replace(b"'v1'", b"'v2'")}, "admin")
    assert (r1.version, r2.version, r2.changed) == (1, 2, True)
    new = instances.start_instance(platform, inst, "ver")
    for iid, expected in ((old, "v1"), (new, "v2")):
        [t] = instances.show_instance(platform, inst, iid).active_tasks
        tasks.complete(platform, inst, t.id, {"decision": "approve"})
        [t2] = instances.show_instance(platform, inst, iid).active_tasks
        assert tasks.task_context(platform, inst, t2.id)[2]["which"] == expected
    assert instances.show_instance(platform, inst, old).version == 1


def test_rolling_back_to_earlier_content_is_a_new_version_and_then_a_no_op(wiring):
    first = linear("roll", task(0), script(1, "which = 'a'"))
    second = first.replace(b"'a'", b"'b'")
    versions = [deploy.deploy(wiring.platform, {"roll.bpmn": xml}, "admin")[0] for xml in (first, second, first, first)]
    assert [(v.version, v.changed) for v in versions] == [(1, True), (2, True), (3, True), (3, False)]


def test_an_unknown_task_id_is_not_found(wiring, people):
    with pytest.raises(NotFound):
        tasks.complete(wiring.platform, people.actor("inst_a"), "00000000-0000-4000-8000-000000000000", {})


def test_retry_after_a_failed_pre_script_waits_for_a_person_instead_of_completing_empty(wiring, people):
    from tests.support.bpmn import user_task

    pre = user_task("s0", "填写").replace("</spiffworkflow:properties>",
                                          "</spiffworkflow:properties><spiffworkflow:preScript>x = rule('no_such_rule')"
                                          "</spiffworkflow:preScript>")
    iid = start(wiring, people, linear("pre", pre, task(1)), "pre")
    admin = people.actor("admin")
    view = instances.show_instance(wiring.platform, admin, iid)
    assert view.status == "incident" and "no_such_rule" in view.incidents[0].message
    assert instances.retry_instance(wiring.platform, admin, iid) == "incident"  # cause not fixed: still failing
    assert instances.show_instance(wiring.platform, admin, iid).active_tasks == []


def test_scripts_may_not_build_huge_values_or_catch_the_budget(wiring, people):
    from adapters.services.platform.errors import DeploymentRefused

    with pytest.raises(DeploymentRefused, match="try/except"):
        deploy.deploy(wiring.platform, {"t.bpmn": linear("t", script(0, "try:\n    x = 1\nexcept Exception:\n    pass"))},
                      "admin")
    iid = start(wiring, people, linear("big", script(0, "x = 'x' * 10 ** 9"), task(1)), "big")
    [incident] = instances.show_instance(wiring.platform, people.actor("admin"), iid).incidents
    assert "too large" in incident.message or "sequence" in incident.message


def test_a_script_leaving_unstorable_data_is_an_incident_naming_the_variable(wiring, people):
    iid = start(wiring, people, linear("zip", script(0, "pairs = zip([1], [2])"), task(1)), "zip")
    [incident] = instances.show_instance(wiring.platform, people.actor("admin"), iid).incidents
    assert "pairs" in incident.message


def test_one_broken_instance_does_not_stop_the_other_timers(wiring, people, fixed_clock, monkeypatch):
    from adapters.engine.instance import WorkflowInstance

    xml = linear("wait", timer_wait(0, "PT1H"), task(1))
    poisoned = start(wiring, people, xml, "wait", data={"poison": True})
    healthy = instances.start_instance(wiring.platform, people.actor("inst_a"), "wait")
    original = WorkflowInstance.fire_due_timers

    def crash_on_poison(self):
        if any("poison" in t.data for t in self.workflow.get_tasks()):
            raise RuntimeError("adapter bug")
        original(self)

    monkeypatch.setattr(WorkflowInstance, "fire_due_timers", crash_on_poison)
    fixed_clock.advance(dt.timedelta(hours=2))
    result = timers.run_due_timers(wiring.platform)
    assert (result.fired, result.failed) == (1, 1)
    admin = people.actor("admin")
    assert instances.show_instance(wiring.platform, admin, poisoned).status == "incident"
    assert [t.bpmn_id for t in instances.show_instance(wiring.platform, admin, healthy).active_tasks] == ["s1"]


def test_a_process_with_its_own_start_page_cannot_be_started_generically(wiring, people):
    xml = with_start_property(linear("paged", task(0)), "startPage", "/classes/new")
    deploy.deploy(wiring.platform, {"paged.bpmn": xml}, "admin")
    with pytest.raises(Forbidden, match="/classes/new"):
        instances.start_instance(wiring.platform, people.actor("inst_a"), "paged")
    assert instances.start_instance(wiring.platform, people.actor("inst_a"), "paged", dedicated=True)


def test_start_data_may_not_shadow_a_script_function(wiring, people):
    from adapters.services.platform.errors import InvalidData

    deploy.deploy(wiring.platform, {"one.bpmn": linear("one", task(0))}, "admin")
    with pytest.raises(InvalidData) as caught:
        instances.start_instance(wiring.platform, people.actor("inst_a"), "one", data={"today": "x"})
    assert "today" in caught.value.errors


def test_a_failing_service_leaves_no_writes_behind(wiring, people):
    from adapters.services.platform.context import active_uow

    def takes_a_number_then_fails():
        active_uow().reference.next_number("demo-cert")
        raise RuntimeError("printer on fire")

    wiring.platform.runtime.services.register("demo/issue", takes_a_number_then_fails)
    iid = start(wiring, people, linear("svc2", service(0, "demo/issue", {}), task(1)), "svc2")
    admin = people.actor("admin")
    instances.retry_instance(wiring.platform, admin, iid)
    with wiring.platform.uow() as uow:
        assert uow.reference.next_number("demo-cert") == 1  # neither the first try nor the retry kept a number


def test_a_candidate_organisation_that_does_not_exist_is_an_incident(wiring, people):
    iid = start(wiring, people, linear("org", task(0, org="999999")), "org")
    view = instances.show_instance(wiring.platform, people.actor("admin"), iid)
    assert view.status == "incident" and view.active_tasks == []
    assert "999999" in view.incidents[0].message


def test_retrying_a_timer_whose_date_is_wrong_keeps_the_incident_instead_of_hanging(wiring, people):
    wait = ('<bpmn:intermediateCatchEvent id="s0" name="等待"><bpmn:timerEventDefinition>'
            '<bpmn:timeDate>exam_day</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')
    iid = start(wiring, people, linear("badtimer", wait, task(1)), "badtimer", data={"exam_day": "next week"})
    admin = people.actor("admin")
    assert instances.show_instance(wiring.platform, admin, iid).status == "incident"
    assert instances.retry_instance(wiring.platform, admin, iid) == "incident"


def test_a_generic_start_needs_a_role_of_the_start_lane(wiring, people):
    deploy.deploy(wiring.platform, {"one.bpmn": linear("one", task(0))}, "admin")  # starts in the institution lane
    with pytest.raises(Forbidden):
        instances.start_instance(wiring.platform, people.actor("site"), "one")
    assert instances.start_instance(wiring.platform, people.actor("inst_a"), "one")


def test_a_called_only_process_cannot_be_started_on_its_own(wiring, people):
    xml = with_start_property(linear("sub", task(0)), "calledOnly", "true")
    deploy.deploy(wiring.platform, {"sub.bpmn": xml}, "admin")
    with pytest.raises(Forbidden, match="调用"):
        instances.start_instance(wiring.platform, people.actor("inst_a"), "sub")


def test_a_file_field_cannot_name_another_institutions_document(tmp_path, people_template):
    import io
    import json
    import shutil

    from adapters.services.platform import documents
    from adapters.services.platform.errors import InvalidData
    from tests.support.bpmn import user_task
    from tests.support.platform import directory_of, sqlite_wiring

    forms = tmp_path / "forms"
    shutil.copytree(Path(__file__).resolve().parents[3] / "forms", forms,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__", "schema"))
    form = {"key": "with_file", "title": "附件", "fields": [{"name": "scan", "type": "file", "label": "扫描件"}]}
    (forms / "with_file.json").write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    wiring = sqlite_wiring(tmp_path / "db", people_template, forms_dir=forms)
    try:
        people = directory_of(wiring)
        iid = start(wiring, people, linear("filed", user_task("s0", "上传", form="with_file")), "filed")
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        foreign = documents.attach(wiring.platform, wiring.objects, people.actor("inst_b"),
                                   documents.Upload(io.BytesIO(pdf), "secret.pdf"), max_bytes=10**6)
        inst = people.actor("inst_a")
        [t] = instances.show_instance(wiring.platform, inst, iid).active_tasks
        with pytest.raises(InvalidData) as caught:
            tasks.complete(wiring.platform, inst, t.id, {"scan": foreign})
        assert "scan" in caught.value.errors
    finally:
        wiring.dispose()
