"""The server's deploy check: one test per kind of problem, each naming the element and saying what to do."""

from __future__ import annotations

import pytest

from adapters.services.platform import deploy, validation
from tests.support.bpmn import definitions, flow, lanes, user_task
from tests.support.scenarios import linear, script, service, task

CJK = range(0x4E00, 0xA000)


def check(wiring, xml: bytes | str) -> list[validation.Problem]:
    platform = wiring.platform
    text = xml.decode() if isinstance(xml, bytes) else xml
    return validation.validate_xml(platform, text, validation.form_lookup(platform))


def only(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"no {code} in {problems}"
    assert any(ord(ch) in CJK for ch in found[0].message), found[0].message
    return found[0]


def test_a_correct_diagram_has_no_errors(wiring, people):
    problems = check(wiring, linear("ok", task(0, "填写")))
    assert not validation.has_errors(problems), problems


def test_xml_that_is_not_well_formed_is_reported_with_its_line(wiring, people):
    problem = only(check(wiring, "<bpmn:definitions>\n<oops>"), "xml")
    assert "行" in problem.message and problem.element_id is None


def test_a_doctype_is_refused_for_safety(wiring, people):
    problem = only(check(wiring, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><x/>'), "xml")
    assert "DOCTYPE" in problem.message


def test_a_diagram_without_an_executable_process_is_reported(wiring, people):
    xml = linear("p", task(0)).replace(b'isExecutable="true"', b'isExecutable="false"')
    only(check(wiring, xml), "no_executable")


def test_an_unsupported_element_is_named(wiring, people):
    xml = linear("p", task(0)).replace(b'<bpmn:endEvent id="end"/>',
                                       b'<bpmn:endEvent id="end"/><bpmn:complexGateway id="cg"/>')
    assert only(check(wiring, xml), "unsupported_element").element_id == "cg"


def test_a_flow_to_a_missing_step_is_named(wiring, people):
    xml = linear("p", task(0)).replace(b'targetRef="end"', b'targetRef="gone"')
    assert only(check(wiring, xml), "dangling_flow").element_id == "f1"


def test_a_user_task_outside_every_lane_is_named(wiring, people):
    body = (lanes({"培训机构": ["start", "end"]}) + '<bpmn:startEvent id="start"/>' + user_task("t", "填写")
            + flow("f0", "start", "t") + flow("f1", "t", "end") + '<bpmn:endEvent id="end"/>')
    xml = definitions(f'<bpmn:process id="p" isExecutable="true">{body}</bpmn:process>')
    assert only(check(wiring, xml), "no_lane").element_id == "t"


def test_a_lane_that_maps_to_no_role_names_the_task_and_the_roles(wiring, people):
    xml = linear("p", task(0)).replace("培训机构".encode(), "外星人".encode())
    problem = only(check(wiring, xml), "lane_without_role")
    assert problem.element_id == "s0" and "外星人" in problem.message and "培训机构" in problem.message
    assert "流程管理员" not in problem.message  # not a lane role


def test_a_user_task_without_a_form_is_named(wiring, people):
    xml = linear("p", task(0)).replace(b'<spiffworkflow:property name="formKey" value="generic_approval"/>', b"")
    assert only(check(wiring, xml), "no_form").element_id == "s0"


def test_a_form_that_does_not_exist_is_named(wiring, people):
    assert only(check(wiring, linear("p", task(0, form="nope"))), "form_missing").element_id == "s0"


def test_an_unregistered_operator_is_named(wiring, people):
    xml = linear("p", service(0, "no.such_service", {}))
    assert only(check(wiring, xml), "operator_unknown").element_id == "s0"


def test_a_missing_operator_parameter_is_named(wiring, people):
    xml = linear("p", service(0, "training.notify_exam_site", {}))
    problem = only(check(wiring, xml), "operator_parameter_missing")
    assert problem.element_id == "s0" and "class_id" in problem.message


def test_a_script_with_a_syntax_error_names_the_task_and_line(wiring, people):
    problem = only(check(wiring, linear("p", script(0, "x = (1"))), "code_syntax")
    assert problem.element_id == "s0" and "第 1 行" in problem.message


def test_a_script_that_imports_is_refused_by_the_sandbox(wiring, people):
    problem = only(check(wiring, linear("p", script(0, "import os"))), "code_refused")
    assert problem.element_id == "s0" and "导入" in problem.message


def test_a_condition_that_does_not_compile_names_its_flow(wiring, people):
    xml = linear("p", task(0)).replace(b'<bpmn:sequenceFlow id="f1" sourceRef="s0" targetRef="end">',
                                       b'<bpmn:sequenceFlow id="f1" sourceRef="s0" targetRef="end">'
                                       b'<bpmn:conditionExpression>decision ==</bpmn:conditionExpression>')
    xml = xml.replace(b'<bpmn:sequenceFlow id="f1" sourceRef="s0" targetRef="end"/>',
                      b'<bpmn:sequenceFlow id="f1" sourceRef="s0" targetRef="end">'
                      b'<bpmn:conditionExpression>decision ==</bpmn:conditionExpression></bpmn:sequenceFlow>')
    assert only(check(wiring, xml), "code_syntax").element_id == "f1"


def test_a_due_date_calling_an_unknown_function_is_a_warning(wiring, people):
    problem = only(check(wiring, linear("p", task(0, due="add_workdays(class_end, 5)"))), "unknown_function")
    assert problem.severity == "warning" and "add_working_days" in problem.message


def test_a_call_to_a_process_that_is_not_deployed_is_named(wiring, people):
    call = '<bpmn:callActivity id="s0" name="调用" calledElement="nowhere"/>'
    assert only(check(wiring, linear("p", call)), "call_target_unknown").element_id == "s0"


def test_a_call_back_into_the_calling_process_is_refused(wiring, people):
    call = '<bpmn:callActivity id="s0" name="调用" calledElement="p"/>'
    assert only(check(wiring, linear("p", call)), "call_cycle").element_id == "s0"


def test_calls_nested_deeper_than_the_limit_are_refused(wiring, people):
    platform = wiring.platform
    deploy.deploy(platform, {"d3.bpmn": linear("d3", task(0))}, "admin")
    for inner, outer in (("d3", "d2"), ("d2", "d1"), ("d1", "d0")):
        xml = linear(outer, f'<bpmn:callActivity id="s0" name="调用" calledElement="{inner}"/>')
        deploy.deploy(platform, {f"{outer}.bpmn": xml, f"{inner}.bpmn": linear(inner, task(0))}
                      if inner == "d3" else {f"{outer}.bpmn": xml,
                                             **_files_of(platform, inner)}, "admin")
    call = '<bpmn:callActivity id="s0" name="调用" calledElement="d0"/>'
    assert only(check(wiring, linear("p", call)), "call_too_deep").element_id == "s0"


def _files_of(platform, key):
    with platform.reader() as uow:
        return {name: text.encode() for name, text in uow.processes.latest(key).files.items()}


def test_a_multi_instance_step_without_a_bound_is_refused(wiring, people):
    mi = ('<bpmn:userTask id="s0" name="多人填写"><bpmn:extensionElements><spiffworkflow:properties>'
          '<spiffworkflow:property name="formKey" value="generic_approval"/></spiffworkflow:properties>'
          '</bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics/></bpmn:userTask>')
    assert only(check(wiring, linear("p", mi)), "multi_instance_unbounded").element_id == "s0"


def test_a_standard_loop_without_a_maximum_is_refused(wiring, people):
    loop = ('<bpmn:scriptTask id="s0" name="循环"><bpmn:standardLoopCharacteristics>'
            '<bpmn:loopCondition>n &gt; 3</bpmn:loopCondition></bpmn:standardLoopCharacteristics>'
            '<bpmn:script>n = 1</bpmn:script></bpmn:scriptTask>')
    assert only(check(wiring, linear("p", loop)), "loop_unbounded").element_id == "s0"


def test_a_step_without_a_name_is_a_warning(wiring, people):
    problem = only(check(wiring, linear("p", script(0, "x = 1"))), "no_label")
    assert problem.severity == "warning" and problem.element_id == "s0"


def test_what_only_the_engine_parser_finds_is_still_reported_in_chinese(wiring, people):
    # An element the BPMN schema does not know passes the element checks; the XSD validation refuses it.
    xml = linear("p", task(0)).replace(b'<bpmn:endEvent id="end"/>', b'<bpmn:endEvent id="end"/><bpmn:frob id="z"/>')
    problem = only(check(wiring, xml), "deploy_check")
    assert problem.message.startswith("部署检查未通过")


@pytest.mark.parametrize("bad", ["a form check that is not registered"])
def test_a_form_demanding_an_unregistered_check_is_named(wiring, people, tmp_path, bad):
    platform = wiring.platform
    form = '{"key": "f1", "title": "表", "fields": [], "checks": ["no_such_check"]}'
    lookup = validation.form_lookup(platform, {"f1": form})
    problems = validation.validate_xml(platform, linear("p", task(0, form="f1")).decode(), lookup)
    problem = only(problems, "form_missing")
    assert problem.element_id == "s0" and "no_such_check" in problem.message
