"""Hostile diagrams, second round (issue 11.5): what a diagram computes at run time is held to the same bounds as
what it states at deployment, and every breach ends as an incident naming the element — never a runaway worker,
never a traceback."""

from __future__ import annotations

from adapters.engine.bounds import MAX_CARDINALITY, MAX_TIMER_CYCLES
from adapters.services.platform import deploy, instances, validation
from tests.support.scenarios import linear, script, task


def _run(wiring, people, xml: bytes, key: str):
    deploy.deploy(wiring.platform, {f"{key}.bpmn": xml}, "admin")
    iid = instances.start_instance(wiring.platform, people.actor("inst_a"), key)
    return instances.show_instance(wiring.platform, people.actor("admin"), iid)


def _problems(wiring, xml: bytes) -> dict[str, str]:
    platform = wiring.platform
    found = validation.validate_xml(platform, xml.decode(), validation.form_lookup(platform))
    return {p.code: f"{p.element_id}: {p.message}" for p in found}


def _mi_script(cardinality: str) -> str:
    return (f'<bpmn:scriptTask id="s1" name="逐份计算"><bpmn:multiInstanceLoopCharacteristics isSequential="false">'
            f'<bpmn:loopCardinality>{cardinality}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>'
            f'<bpmn:script>done = 1</bpmn:script></bpmn:scriptTask>')


def _cycle_boundary(cycle: str) -> str:
    return (f'<bpmn:boundaryEvent id="remind" name="提醒" attachedToRef="s1" cancelActivity="false">'
            f'<bpmn:timerEventDefinition><bpmn:timeCycle>{cycle}</bpmn:timeCycle></bpmn:timerEventDefinition>'
            f'</bpmn:boundaryEvent>')


def test_a_multi_instance_count_computed_at_run_time_above_the_bound_is_an_incident_naming_the_step(wiring, people):
    view = _run(wiring, people, linear("mi_big", script(0, "n = 10 ** 6"), _mi_script("n")), "mi_big")
    assert view.status == "incident"
    [incident] = view.incidents
    assert incident.element_id == "s1" and f"超过上限 {MAX_CARDINALITY}" in incident.message


def test_a_multi_instance_count_within_the_bound_runs_every_copy(wiring, people):
    view = _run(wiring, people, linear("mi_ok", script(0, "n = 3"), _mi_script("n"), task(2)), "mi_ok")
    assert view.status == "running" and [t.bpmn_id for t in view.active_tasks] == ["s2"]


def test_a_multi_instance_count_that_is_not_a_number_is_an_incident_not_a_traceback(wiring, people):
    view = _run(wiring, people, linear("mi_text", script(0, "n = 'many'"), _mi_script("n")), "mi_text")
    assert view.status == "incident" and "非负整数" in view.incidents[0].message


def test_a_timer_cycle_without_end_is_refused_at_deployment(wiring, people):
    xml = linear("cycle_const", task(0), task(1)).replace(b'<bpmn:endEvent', _cycle_boundary('"R/PT1H"').encode()
                                                          + b'<bpmn:endEvent', 1)
    assert "无限重复" in _problems(wiring, xml)["timer_cycle_unbounded"]


def test_a_timer_cycle_repeating_more_than_the_bound_is_refused_at_deployment(wiring, people):
    xml = linear("cycle_many", task(0), task(1)).replace(b'<bpmn:endEvent', _cycle_boundary('"R5000/PT1M"').encode()
                                                         + b'<bpmn:endEvent', 1)
    assert f"上限 {MAX_TIMER_CYCLES}" in _problems(wiring, xml)["timer_cycle_unbounded"]


def test_a_timer_cycle_computed_without_end_at_run_time_is_an_incident(wiring, people):
    xml = linear("cycle_run", script(0, "cycle = 'R/PT1H'"), task(1)).replace(
        b'<bpmn:endEvent', _cycle_boundary("cycle").encode() + b'<bpmn:endEvent', 1)
    assert "timer_cycle_unbounded" not in _problems(wiring, xml)  # an expression: only the run can tell
    view = _run(wiring, people, xml, "cycle_run")
    assert view.status == "incident" and "无限重复" in view.incidents[0].message


def test_a_script_leaving_data_too_large_to_save_is_an_incident_naming_the_variable(wiring, people):
    huge = "s = 'a' * 999999\nt = [s] * 999999"  # small in memory (one text, shared), a terabyte as saved state
    view = _run(wiring, people, linear("huge", script(0, huge), task(1)), "huge")
    assert view.status == "incident"
    [incident] = view.incidents
    assert incident.element_id == "s0" and "'t'" in incident.message and "too large" in incident.message


def test_data_nested_deeper_than_the_serializer_can_take_is_an_incident_naming_the_variable(wiring, people):
    nested = "x = []\nfor i in range(50):\n    x = [x]"
    view = _run(wiring, people, linear("deep", script(0, nested), task(1)), "deep")
    assert view.status == "incident" and "'x'" in view.incidents[0].message and "nested" in view.incidents[0].message
