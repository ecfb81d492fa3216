"""The WTForms adapter: CSRF, rendering per type, and errors from forms.validation next to fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from forms.definition import RESERVED_NAMES
from forms.loader import FormRegistry
from forms.wtf import CSRF_ERROR_KEY, build_wtform, validate_wtform
from tests.unit.forms.factory import BAD_CHECKSUM_ID, TODAY, VALID_ID, form_with

FORMS = FormRegistry(Path(__file__).resolve().parents[3] / "forms")
XSS = '<script>alert("x")</script>'


def _app(csrf: bool) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test-secret", WTF_CSRF_ENABLED=csrf)
    return app


@pytest.fixture
def app() -> Flask:
    return _app(csrf=False)


def test_a_post_without_csrf_token_is_refused() -> None:
    approval = FORMS.get("generic_approval")
    with _app(csrf=True).test_request_context(method="POST", data={"decision": "approve"}):
        form = build_wtform(approval, "zh")
        cleaned, errors = validate_wtform(form, approval, TODAY)
    assert cleaned == {}
    assert list(errors) == [CSRF_ERROR_KEY]
    assert form.csrf_token.errors == [errors[CSRF_ERROR_KEY]]
    assert "刷新" in errors[CSRF_ERROR_KEY]


def test_a_post_with_a_forged_csrf_token_is_refused() -> None:
    approval = FORMS.get("generic_approval")
    data = {"decision": "approve", "csrf_token": "forged"}
    with _app(csrf=True).test_request_context(method="POST", data=data):
        assert validate_wtform(build_wtform(approval, "zh"), approval, TODAY) == (
            {}, {CSRF_ERROR_KEY: "页面已过期或提交来源无效，请刷新页面后重新提交"})


def test_a_post_with_the_session_csrf_token_is_accepted() -> None:
    approval = FORMS.get("generic_approval")
    with _app(csrf=True).test_request_context(method="POST"):
        formdata = MultiDict({"decision": "approve", "csrf_token": generate_csrf()})
        form = build_wtform(approval, "zh", formdata=formdata)
        assert 'name="csrf_token"' in str(form.csrf_token)
        assert validate_wtform(form, approval, TODAY) == ({"decision": "approve", "comment": None}, {})


def test_the_form_is_a_flask_form_so_csrf_is_on_by_default() -> None:
    with _app(csrf=True).test_request_context():
        assert isinstance(build_wtform(FORMS.get("generic_approval"), "zh"), FlaskForm)


def test_errors_appear_on_their_fields(app: Flask) -> None:
    approval = FORMS.get("generic_approval")
    with app.test_request_context(method="POST", data={"decision": "return", "comment": "  "}):
        form = build_wtform(approval, "zh")
        cleaned, errors = validate_wtform(form, approval, TODAY)
    assert errors == {"comment": "请填写此项"}
    assert form.comment.errors == ["请填写此项"]
    assert form.decision.errors == []
    assert form.errors == {"comment": ["请填写此项"]}
    assert cleaned["decision"] == "return"


def test_script_in_a_text_field_is_kept_as_data_and_escaped_when_rendered(app: Flask) -> None:
    definition = form_with({"name": "title", "type": "text"}, {"name": "note", "type": "textarea"})
    with app.test_request_context(method="POST", data={"title": XSS, "note": XSS}):
        form = build_wtform(definition, "zh")
        cleaned, errors = validate_wtform(form, definition, TODAY)
        html = str(form.title) + str(form.note)
    assert cleaned == {"title": XSS, "note": XSS}
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_labels_and_choices_from_the_definition_are_escaped(app: Flask) -> None:
    definition = form_with({"name": "kind", "type": "choice", "label": XSS, "choices": [["a", XSS]]})
    with app.test_request_context():
        form = build_wtform(definition, "zh")
        html = str(form.kind.label) + str(form.kind)
    assert "<script>" not in html


def test_what_the_user_typed_is_shown_again_after_an_error(app: Flask) -> None:
    scores = FORMS.get("exam_scores")
    data = {"scores-0-trainee_id": "7", "scores-0-id_number": BAD_CHECKSUM_ID, "scores-0-theory_score": "八十五",
            "scores-0-practical_score": "88"}
    with app.test_request_context(method="POST", data=data):
        form = build_wtform(scores, "zh")
        _, errors = validate_wtform(form, scores, TODAY)
        row = form.scores.entries[0].form
        assert f'value="{BAD_CHECKSUM_ID}"' in str(row.id_number)
        assert 'value="八十五"' in str(row.theory_score)
        assert 'value="88"' in str(row.practical_score)
    assert set(errors) == {"scores[0].id_number", "scores[0].theory_score"}
    assert row.theory_score.errors == ["请输入整数"]
    assert row.id_number.errors == [errors["scores[0].id_number"]]
    assert form.errors == {"scores": [{"id_number": [errors["scores[0].id_number"]],
                                       "theory_score": ["请输入整数"]}]}


def test_table_level_and_row_errors_are_attached(app: Flask) -> None:
    definition = form_with({"name": "t", "type": "table", "min_rows": 2, "columns": [{"name": "c", "type": "text"}]})
    with app.test_request_context(method="POST", data={"t-0-c": "x"}):
        form = build_wtform(definition, "zh")
        _, errors = validate_wtform(form, definition, TODAY)
    assert errors == {"t": "至少填写 2 行"}
    assert form.t.errors == ["至少填写 2 行"]


def test_score_grid_is_prefilled_from_workflow_data(app: Flask) -> None:
    rows = [{"trainee_id": 7, "name": "张三", "id_number": VALID_ID}, {"trainee_id": 8, "name": "李四"}]
    with app.test_request_context():
        form = build_wtform(FORMS.get("exam_scores"), "en", data={"scores": rows})
        first = form.scores.entries[0].form
        assert len(form.scores.entries) == 2
        assert str(first.trainee_id) == '<input id="scores-0-trainee_id" name="scores-0-trainee_id" type="hidden" value="7">'
        assert "readonly" in str(first.name) and 'value="张三"' in str(first.name)
        assert first.theory_score.label.text == "Theory score"
        assert 'type="checkbox"' in str(first.absent)


def test_add_rows_appends_blank_rows_up_to_max_rows(app: Flask) -> None:
    definition = form_with({"name": "t", "type": "table", "max_rows": 3, "columns": [{"name": "c", "type": "text"}]})
    with app.test_request_context(method="POST", data={"t-0-c": "a", "t-4-c": "b"}):
        form = build_wtform(definition, "zh", add_rows={"t": 1})
        assert [entry.form.c.name for entry in form.t.entries] == ["t-0-c", "t-1-c", "t-2-c"]
        form = build_wtform(definition, "zh", add_rows={"t": 10})
        assert len(form.t.entries) == 3


@pytest.mark.parametrize(("field", "expected"), [
    ({"type": "integer", "min": 0, "max": 100}, ['type="number"', 'min="0"', 'max="100"', 'step="1"']),
    ({"type": "decimal", "places": 1}, ['type="number"', 'step="0.1"']),
    ({"type": "date"}, ['type="date"']),
    ({"type": "datetime"}, ['type="datetime-local"']),
    ({"type": "email"}, ['type="email"']),
    ({"type": "mobile"}, ['type="tel"']),
    ({"type": "id_number", "required": True}, ['type="text"', "required", 'autocomplete="off"']),
    ({"type": "text", "max_length": 50, "placeholder": {"zh": "请输入", "en": "Type"}},
     ['maxlength="50"', 'placeholder="Type"']),
    ({"type": "textarea"}, ["<textarea", 'maxlength="20000"']),
    ({"type": "boolean"}, ['type="checkbox"']),
    ({"type": "choice", "choices": [["a", {"zh": "甲", "en": "A"}]]}, ["<select", '<option value="">Please choose',
                                                                      '<option value="a">A']),
    ({"type": "choice", "widget": "radio", "choices": ["a", "b"]}, ['type="radio"', 'value="b"']),
    ({"type": "multichoice", "choices": ["a", "b"]}, ['type="checkbox"', 'value="a"', 'value="b"']),
    ({"type": "file", "accept": ["application/pdf", "image/png"], "multiple": True},
     ['type="file"', 'accept="application/pdf,image/png"', "multiple"]),
    ({"type": "hidden"}, ['type="hidden"']),
    ({"type": "choice", "readonly": True, "choices": ["a"]}, ["disabled"]),
])
def test_each_type_renders_a_suitable_input(app: Flask, field: dict[str, Any], expected: list[str]) -> None:
    with app.test_request_context():
        html = str(build_wtform(form_with({"name": "v", **field}), "en").v)
    for fragment in expected:
        assert fragment in html


def test_multichoice_and_boolean_posts_are_validated_like_api_data(app: Flask) -> None:
    definition = form_with({"name": "tags", "type": "multichoice", "choices": ["a", "b", "c"]},
                           {"name": "agree", "type": "boolean", "required": True},
                           {"name": "start", "type": "date", "date_max": "today"})
    data = MultiDict([("tags", "c"), ("tags", "a"), ("start", "2024-06-01")])
    with app.test_request_context(method="POST", data=data):
        form = build_wtform(definition, "zh")
        cleaned, errors = validate_wtform(form, definition, TODAY)
    assert cleaned["tags"] == ["a", "c"]
    assert errors == {"agree": "请勾选此项", "start": "不能晚于今天 2024-05-15"}
    assert form.start.errors == ["不能晚于今天 2024-05-15"]


def test_file_fields_take_document_ids_from_the_web_layer(app: Flask) -> None:
    definition = form_with({"name": "scan", "type": "file", "required": True})
    with app.test_request_context(method="POST", data={"scan": "999"}):
        form = build_wtform(definition, "zh")
        assert validate_wtform(form, definition, TODAY) == ({"scan": None}, {"scan": "请上传文件"})
        assert validate_wtform(form, definition, TODAY, file_ids={"scan": 12}) == ({"scan": 12}, {})


def test_reserved_names_cover_every_public_attribute_of_the_html_form() -> None:
    with _app(csrf=True).test_request_context():
        form = build_wtform(form_with({"name": "v", "type": "text"}), "zh")
        public = {name for name in dir(form) if not name.startswith("_")} - {"v"}
    assert public <= RESERVED_NAMES


def test_stray_workflow_keys_in_prefilled_rows_are_ignored(app: Flask) -> None:
    rows = [{"trainee_id": 7, "prefix": "x", "meta": 1, "data": {}}, "not a row"]
    with app.test_request_context():
        form = build_wtform(FORMS.get("exam_scores"), "zh", data={"scores": rows, "formdata": 1})
        assert [entry.form.trainee_id.data for entry in form.scores.entries] == [7]


def test_add_rows_refuses_a_field_that_is_not_a_table(app: Flask) -> None:
    with app.test_request_context(), pytest.raises(ValueError, match="not a table"):
        build_wtform(FORMS.get("generic_approval"), "zh", add_rows={"comment": 1})
