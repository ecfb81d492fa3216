"""The task page over HTTP: every field type, errors next to fields, escaping, drafts, CSRF, completion."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from adapters.services.bootstrap import Wiring
from adapters.services.platform import deploy, instances
from tests.conftest import PROJECT
from tests.support.bpmn import definitions, flow, lanes, user_task
from tests.support.platform import Directory, sqlite_wiring
from tests.support.scenarios import linear
from tests.support.scenarios import task as scenario_task

VALID_ID = "11010519491231002X"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
INSTRUCTIONS = "第一行：核对材料 <b>加粗?</b>\n第二行：{{ 7 * 7 }} {% if true %}模板{% endif %}"

EVERY_FIELD = {
    "key": "every_field",
    "title": {"zh": "全部字段", "en": "All fields"},
    "description": "请如实填写。",
    "show": [{"var": "business_key", "label": "业务编号"}, {"var": "started_by", "label": "发起人"}],
    "fields": [
        {"name": "full_name", "type": "text", "label": "姓名", "required": True, "max_length": 80},
        {"name": "notes", "type": "textarea", "label": "备注"},
        {"name": "count", "type": "integer", "label": "人数", "min": 1, "max": 500},
        {"name": "fee", "type": "decimal", "label": "费用", "places": 2},
        {"name": "exam_day", "type": "date", "label": "考试日期"},
        {"name": "starts_at", "type": "datetime", "label": "开始时间"},
        {"name": "agree", "type": "boolean", "label": "我已核对"},
        {"name": "level", "type": "choice", "label": "级别", "choices": [["first", "初训"], ["again", "复训"]]},
        {"name": "decision", "type": "choice", "label": "结论", "widget": "radio",
         "choices": [["approve", "通过"], ["return", "退回"]]},
        {"name": "industries", "type": "multichoice", "label": "行业", "choices": [["coal", "煤矿"], ["chem", "危化"]]},
        {"name": "id_no", "type": "id_number", "label": "身份证号码"},
        {"name": "phone", "type": "mobile", "label": "手机号码"},
        {"name": "mail", "type": "email", "label": "邮箱"},
        {"name": "scan", "type": "file", "label": "扫描件", "accept": ["application/pdf", "image/*"]},
        {"name": "photos", "type": "file", "label": "照片", "multiple": True, "accept": ["image/png", "image/jpeg"]},
        {"name": "trainees", "type": "table", "label": "学员", "max_rows": 50, "columns": [
            {"name": "tid", "type": "hidden", "value_type": "integer"},
            {"name": "name", "type": "text", "label": "学员姓名", "required": True},
            {"name": "id_number", "type": "id_number", "label": "学员身份证号", "required": True},
            {"name": "passed", "type": "boolean", "label": "合格"}]},
        {"name": "ref", "type": "hidden"},
    ],
}


def every_field_process() -> bytes:
    """start → submit (institution, every_field, with instructions) → review (bureau) → end."""
    submit = user_task("submit", "填写全部字段", form="every_field", org="organisation_id").replace(
        "</spiffworkflow:properties>",
        "</spiffworkflow:properties><spiffworkflow:instructionsForEndUser>"
        + INSTRUCTIONS.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        + "</spiffworkflow:instructionsForEndUser>")
    body = (lanes({"培训机构": ["start", "submit", "end"], "市局教育训练科": ["review"]})
            + '<bpmn:startEvent id="start"/>' + flow("f1", "start", "submit") + submit
            + flow("f2", "submit", "review") + user_task("review", "审核全部字段")
            + flow("f3", "review", "end") + '<bpmn:endEvent id="end"/>')
    return definitions(f'<bpmn:process id="every" name="全部字段流程" isExecutable="true">{body}</bpmn:process>')


def wiring_with_every_field(tmp_path: Path, db_template: Path, **overrides: Any) -> Wiring:
    forms = tmp_path / "forms"
    forms.mkdir()
    for source in (PROJECT / "forms").glob("*.json"):
        shutil.copy(source, forms / source.name)
    (forms / "every_field.json").write_text(json.dumps(EVERY_FIELD, ensure_ascii=False), encoding="utf-8")
    return sqlite_wiring(tmp_path, db_template, forms_dir=forms, **overrides)


def start_every(wiring: Wiring, people: Directory, username: str = "inst_a", business_key: str = "C-7") -> int:
    deploy.deploy(wiring.platform, {"every.bpmn": every_field_process()}, "admin")
    return instances.start_instance(wiring.platform, people.actor(username), "every", business_key=business_key,
                                    title=f"期次 {business_key}")


def filled(**changes: Any) -> dict[str, Any]:
    """A complete, valid submission of the every_field form, with changes."""
    data: dict[str, Any] = {
        "full_name": "张三", "notes": "无", "count": "12", "fee": "85.5", "exam_day": "2026-03-20",
        "starts_at": "2026-03-20T09:30", "agree": "y", "level": "first", "decision": "approve",
        "industries": ["coal", "chem"], "id_no": VALID_ID, "phone": "13912345678", "mail": "a@example.cn",
        "trainees-0-tid": "7", "trainees-0-name": "李四", "trainees-0-id_number": VALID_ID,
        "trainees-0-passed": "y", "ref": "R-1", "_action": "submit",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


@pytest.fixture
def wiring(tmp_path: Path, people_template: Path) -> Iterator[Wiring]:
    wiring = wiring_with_every_field(tmp_path, people_template)
    yield wiring
    wiring.dispose()


@pytest.fixture
def every(wiring: Wiring, people: Directory, open_task: Callable[[int], str]) -> tuple[int, str]:
    instance_id = start_every(wiring, people)
    return instance_id, open_task(instance_id)


def test_task_page_renders_every_field_type(login: Callable[..., FlaskClient], every: tuple[int, str]) -> None:
    page = text(login("inst_a").get(f"/tasks/{every[1]}"))
    expected = [
        'name="full_name" required type="text"', '<textarea', 'name="count"', 'type="number"',
        'type="date"', 'type="datetime-local"', 'name="agree" type="checkbox"', '<select id="level"',
        'name="decision" type="radio"', 'name="industries" type="checkbox" value="coal"', 'id="id_no"',
        'type="tel"', 'type="email"', 'accept="application/pdf,image/*"', 'multiple name="photos" type="file"',
        'name="trainees-0-name"', 'name="trainees-0-tid" type="hidden"', 'value="addrow:trainees"',
        'name="ref" type="hidden"', 'enctype="multipart/form-data"', "保存草稿", "提交", "全部字段",
        "C-7", "inst_a",  # show items: business key and starter
    ]
    missing = [snippet for snippet in expected if snippet not in page]
    assert not missing, missing


def test_task_page_header_shows_process_subject_dates_and_people(login: Callable[..., FlaskClient],
                                                                every: tuple[int, str]) -> None:
    page = text(login("inst_a").get(f"/tasks/{every[1]}"))
    assert "全部字段流程" in page and "期次 C-7" in page
    assert "未认领" in page and "inst_a2" in page  # who else may take it
    assert "认领" in page and "无期限" in page


def test_instructions_are_escaped_text_with_line_breaks_not_a_template(login: Callable[..., FlaskClient],
                                                                       every: tuple[int, str]) -> None:
    page = text(login("inst_a").get(f"/tasks/{every[1]}"))
    assert "&lt;b&gt;加粗?&lt;/b&gt;" in page and "<b>加粗?" not in page
    assert "{{ 7 * 7 }}" in page and "49" not in page.split("办理说明")[1].split("</section>")[0]
    assert 'class="prewrap">第一行' in page


def test_invalid_id_number_is_shown_next_to_the_field_and_typed_values_are_kept(
        login: Callable[..., FlaskClient], post: Callable[..., Any], every: tuple[int, str]) -> None:
    client = login("inst_a")
    response = post(client, f"/tasks/{every[1]}", filled(id_no="110105194912310021", notes="我的备注"))
    page = text(response)
    assert response.status_code == 422
    field = page.split('id="field-id_no"')[1].split("</div>\n")[0]
    assert "校验位不符" in page.split('id="field-id_no"')[1][:1200] and 'aria-invalid="true"' in field
    for kept in ('value="110105194912310021"', "我的备注", 'value="12"', 'value="2026-03-20"', 'value="李四"',
                 'checked id="agree"', 'checked id="decision-0"'):
        assert kept in page, kept
    assert "请修改以下 1 处" in page


def test_errors_in_table_cells_name_the_row_and_column(login: Callable[..., FlaskClient], post: Callable[..., Any],
                                                       every: tuple[int, str]) -> None:
    page = text(post(login("inst_a"), f"/tasks/{every[1]}", filled(**{"trainees-0-id_number": "123"})))
    assert "学员第 1 行 学员身份证号" in page and "应为18位" in page


def test_xss_payload_is_shown_escaped(login: Callable[..., FlaskClient], post: Callable[..., Any],
                                      every: tuple[int, str]) -> None:
    client = login("inst_a")
    page = text(post(client, f"/tasks/{every[1]}", filled(full_name=XSS, id_no="bad")))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    post(client, f"/tasks/{every[1]}", filled(full_name=XSS))
    done = text(login("inst_a").get(f"/tasks/{every[1]}"))
    assert "<script>alert" not in done and "&lt;script&gt;" in done


def test_draft_is_saved_and_restored_in_a_new_session(app: Any, login: Callable[..., FlaskClient],
                                                      post: Callable[..., Any], every: tuple[int, str]) -> None:
    first = login("inst_a")
    response = post(first, f"/tasks/{every[1]}", {"full_name": "半截", "id_no": "123", "_action": "draft",
                                                  "trainees-0-name": "王五", "industries": ["chem"]})
    assert response.status_code == 302
    assert "草稿已保存" in text(first.get(response.headers["Location"]))
    fresh = login("inst_a", client=app.test_client())
    page = text(fresh.get(f"/tasks/{every[1]}"))
    assert 'value="半截"' in page and 'value="123"' in page and 'value="王五"' in page
    assert 'checked id="industries-1"' in page and "已恢复您于" in page
    assert "半截" not in text(login("inst_a2", client=app.test_client()).get(f"/tasks/{every[1]}"))


def test_post_without_csrf_token_is_refused(login: Callable[..., FlaskClient], wiring: Wiring,
                                            every: tuple[int, str]) -> None:
    client = login("inst_a")
    response = client.post(f"/tasks/{every[1]}", data=filled())
    assert response.status_code == 400
    with wiring.platform.uow() as uow:
        assert uow.tasks.get(every[1]).state == "open"  # type: ignore[union-attr]


def test_completing_moves_the_process_on_to_the_bureau(login: Callable[..., FlaskClient], app: Any,
                                                      post: Callable[..., Any], every: tuple[int, str],
                                                      open_task: Callable[[int], str]) -> None:
    response = post(login("inst_a"), f"/tasks/{every[1]}", filled())
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox/")
    review = open_task(every[0])
    bureau = login("bureau", client=app.test_client())
    assert "审核全部字段" in text(bureau.get("/inbox/?tab=group"))
    page = text(bureau.get(f"/tasks/{review}"))
    assert "审核全部字段" in page and 'name="decision"' in page
    done = text(login("inst_a", client=app.test_client()).get(f"/tasks/{every[1]}"))
    assert "提交的内容" in done and "张三" in done and "85.50" in done and "煤矿、危化" in done
    assert "110105********002X" in done and 'name="full_name"' not in done


def test_add_row_without_javascript_keeps_what_was_typed(login: Callable[..., FlaskClient],
                                                         post: Callable[..., Any], every: tuple[int, str]) -> None:
    page = text(post(login("inst_a"), f"/tasks/{every[1]}", filled(_action="addrow:trainees")))
    assert 'name="trainees-1-name"' in page and 'value="李四"' in page and "请修改" not in page


def test_claim_then_unclaim_hands_the_task_back(login: Callable[..., FlaskClient], app: Any,
                                                post: Callable[..., Any], every: tuple[int, str]) -> None:
    client = login("inst_a")
    assert post(client, f"/tasks/{every[1]}/claim").status_code == 302
    other = login("inst_a2", client=app.test_client())
    page = text(other.get(f"/tasks/{every[1]}"))
    assert "已由 inst_a 认领" in page and 'name="full_name"' not in page
    assert post(other, f"/tasks/{every[1]}", filled()).status_code == 302  # refused with a message
    assert post(client, f"/tasks/{every[1]}/unclaim").status_code == 302
    assert 'name="full_name"' in text(other.get(f"/tasks/{every[1]}"))


def test_user_of_another_institution_gets_404(login: Callable[..., FlaskClient], every: tuple[int, str]) -> None:
    assert login("inst_b").get(f"/tasks/{every[1]}").status_code == 404


def test_escaped_page_contains_no_unexpected_script_tags(login: Callable[..., FlaskClient],
                                                         every: tuple[int, str]) -> None:
    page = text(login("inst_a").get(f"/tasks/{every[1]}"))
    scripts = re.findall(r"<script[^>]*>", page)
    assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts), scripts


def test_english_page_uses_the_english_labels_of_the_form(login: Callable[..., FlaskClient],
                                                          every: tuple[int, str]) -> None:
    client = login("inst_a")
    client.get("/language/en")
    page = text(client.get(f"/tasks/{every[1]}"))
    assert "All fields" in page and "全部字段</h2>" not in page and 'name="full_name"' in page


def test_due_date_shows_working_days_left_then_overdue_in_red(login: Callable[..., FlaskClient], wiring: Wiring,
                                                              people: Directory, fixed_clock: Any,
                                                              open_task: Callable[[int], str]) -> None:
    """A1.3: deadlines count working days; Monday 2 March 2026 + 2 working days = Wednesday 4 March."""
    # Load the calendar before the engine needs it: a cold cache read inside SQLite's write transaction
    # waits on that transaction's own lock (reported to the lead; not a concern of the task page).
    wiring.reference.calendar()
    diagram = linear("due", scenario_task(0, "限期填写", due="add_working_days(today(), 2)"))
    deploy.deploy(wiring.platform, {"due.bpmn": diagram}, "admin")
    task_id = open_task(instances.start_instance(wiring.platform, people.actor("inst_a"), "due", business_key="D-1"))
    client = login("inst_a")
    assert "2026-03-04（还剩 2 个工作日）" in text(client.get(f"/tasks/{task_id}"))
    fixed_clock.advance(dt.timedelta(days=5))  # Saturday 7 March: Thursday and Friday have passed
    page = text(client.get(f"/tasks/{task_id}"))
    assert '<span class="due due-overdue">2026-03-04（逾期 2 个工作日）' in page and "已逾期" in page
