"""Uploaded BPMN is untrusted: hostile or broken files are refused with the file, element and reason."""

import pytest

from adapters.engine.errors import DeploymentError
from adapters.engine.loader import DeploymentRules, load_processes
from tests.support.bpmn import approval_process, definitions, flow, lanes, script_task, user_task

RULES = DeploymentRules(lane_roles={"培训机构": "institution_staff", "市局教育训练科": "bureau_training"},
                        form_text=lambda key: "{}" if key == "generic_approval" else None, services=["known/service"])


def refused(files: dict[str, bytes]) -> DeploymentError:
    with pytest.raises(DeploymentError) as caught:
        load_processes(files, RULES)
    return caught.value


def one_task_process(body: str, pid: str = "p") -> bytes:
    return definitions(f'<bpmn:process id="{pid}" isExecutable="true">'
                       + lanes({"培训机构": ["start", "t", "end"]}) + '<bpmn:startEvent id="start"/>'
                       + flow("f1", "start", "t") + body + flow("f2", "t", "end")
                       + '<bpmn:endEvent id="end"/></bpmn:process>')


def test_a_valid_diagram_loads_with_its_user_tasks():
    [loaded] = load_processes({"approval.bpmn": approval_process()}, RULES)
    assert loaded.key == "approval"
    assert {t.bpmn_id for t in loaded.user_tasks} == {"submit", "review"}
    assert loaded.forms == {"generic_approval": "{}"}


def test_an_external_entity_is_refused_without_reading_the_file():
    xxe = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           + approval_process().split(b"?>", 1)[1].replace(b'name="\xe6\x8f\x90', b'name="&xxe;\xe6\x8f\x90'))
    error = refused({"xxe.bpmn": xxe})
    assert error.file == "xxe.bpmn" and "DOCTYPE" in error.reason


def test_an_entity_bomb_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    ) + b']><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol9;</bpmn:definitions>'
    assert "DOCTYPE" in refused({"bomb.bpmn": bomb}).reason


def test_an_entity_declared_without_doctype_text_tricks_is_still_refused():
    sneaky = b'<?xml version="1.0"?>\n<!doctype x [<!entity a "b">]><x/>'
    assert refused({"s.bpmn": sneaky}).file == "s.bpmn"


def test_truncated_xml_is_refused_with_its_line():
    error = refused({"cut.bpmn": approval_process()[:300]})
    assert error.file == "cut.bpmn" and "well-formed" in error.reason and error.line


def test_an_oversized_file_is_refused_before_parsing():
    assert "limit" in refused({"big.bpmn": b" " * (3 * 1024 * 1024)}).reason


def test_an_unknown_element_is_refused_by_the_schema():
    error = refused({"x.bpmn": one_task_process(user_task("t", "任务") + "<bpmn:bogusTask id='b'/>")})
    assert "bogusTask" in error.reason


def test_a_flow_to_a_missing_target_is_refused():
    body = user_task("t", "任务") + flow("f9", "t", "nowhere")
    error = refused({"x.bpmn": one_task_process(body)})
    assert error.file == "x.bpmn"


def test_duplicate_process_ids_across_files_are_refused():
    error = refused({"a.bpmn": approval_process("dup"), "b.bpmn": approval_process("dup")})
    assert "Duplicate process ID" in error.reason


def test_a_user_task_outside_a_known_lane_is_refused_naming_the_element():
    xml = approval_process(review_lane="不存在的科室")
    error = refused({"x.bpmn": xml})
    assert error.element == "review" and "不存在的科室" in error.reason


def test_a_user_task_naming_a_missing_form_is_refused():
    error = refused({"x.bpmn": one_task_process(user_task("t", "任务", form="no_such_form"))})
    assert error.element == "t" and "no_such_form" in error.reason


def test_a_service_that_is_not_registered_is_refused():
    service = ('<bpmn:serviceTask id="t"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator '
               'id="evil/service" resultVariable="r"><spiffworkflow:parameters/></spiffworkflow:serviceTaskOperator>'
               '</bpmn:extensionElements></bpmn:serviceTask>')
    error = refused({"x.bpmn": one_task_process(service)})
    assert error.element == "t" and "evil/service" in error.reason


def test_a_non_bpmn_document_is_refused():
    assert "not a BPMN" in refused({"x.bpmn": b"<html/>"}).reason


@pytest.mark.parametrize("script, fragment", [
    ("import os\nos.system('id')", "import"),
    ("x = open('/etc/passwd').read()", "open"),
    ("w = ().__class__.__base__.__subclasses__()", "__class__"),
    ("exec('x = 1')", "exec"),
    ("x = eval('1 + 1')", "eval"),
    ("g = x.gi_frame.f_globals", "gi_frame"),
])
def test_scripts_using_forbidden_python_are_refused_at_deploy(script, fragment):
    error = refused({"x.bpmn": one_task_process(script_task("t", script))})
    assert error.element == "t" and "refused by the sandbox" in error.reason
    assert fragment in error.reason.lower()


def test_a_gateway_condition_using_a_dunder_is_refused_at_deploy():
    xml = approval_process().replace(b"decision == 'approve'", b"().__class__ is None")
    error = refused({"x.bpmn": xml})
    assert error.element == "gw" and "__class__" in error.reason


def test_a_script_that_does_not_compile_is_refused():
    error = refused({"x.bpmn": one_task_process(script_task("t", "x = = 1"))})
    assert error.element == "t"


def test_a_file_that_is_not_utf8_is_refused():
    gbk = approval_process().replace(b'encoding="UTF-8"', b'encoding="GBK"').decode("utf-8").encode("gbk")
    assert "UTF-8" in refused({"gbk.bpmn": gbk}).reason


def test_an_element_id_too_long_to_store_is_refused():
    long_id = "t" * 150
    error = refused({"x.bpmn": one_task_process(user_task(long_id, "任务")).replace(
        b'targetRef="t"', f'targetRef="{long_id}"'.encode()).replace(b'sourceRef="t"', f'sourceRef="{long_id}"'.encode())
        .replace(b"<bpmn:flowNodeRef>t</bpmn:flowNodeRef>", f"<bpmn:flowNodeRef>{long_id}</bpmn:flowNodeRef>".encode())})
    assert "longer than" in error.reason


def test_a_script_nested_too_deeply_to_check_is_refused():
    error = refused({"x.bpmn": one_task_process(script_task("t", "x = " + "-" * 30000 + "1"))})
    assert error.element == "t"
