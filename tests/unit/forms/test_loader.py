"""Loading forms from a directory (cached on mtime) and from text stored with a process version."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from forms._options import COMMON_KEYS, TYPE_KEYS
from forms.definition import FIELD_TYPES
from forms.errors import FormDefinitionError, FormNotFoundError
from forms.loader import FormRegistry, load_form_text
from tests.unit.forms.factory import definition_dict

FORMS_DIR = Path(__file__).resolve().parents[3] / "forms"


def _write(directory: Path, key: str, **extra: object) -> Path:
    data = definition_dict({"name": "comment", "type": "text"}, key=key) | extra
    path = directory / f"{key}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_registry_lists_gets_and_reports_existing_forms(tmp_path: Path) -> None:
    _write(tmp_path, "b_form")
    _write(tmp_path, "a_form")
    (tmp_path / "README.md").write_text("not a form")
    registry = FormRegistry(tmp_path)
    assert registry.keys() == ["a_form", "b_form"]
    assert registry.exists("a_form")
    assert not registry.exists("missing")
    assert registry.get("a_form").field("comment").type == "text"


def test_registry_reuses_the_parsed_form_until_the_file_changes(tmp_path: Path) -> None:
    path = _write(tmp_path, "review")
    registry = FormRegistry(tmp_path)
    first = registry.get("review")
    assert registry.get("review") is first
    _write(tmp_path, "review", title="新标题")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert registry.get("review").title == "新标题"


@pytest.mark.parametrize("key", ["missing", "../forms/generic_approval", "Generic", ""])
def test_unknown_or_unsafe_keys_are_not_found(key: str) -> None:
    registry = FormRegistry(FORMS_DIR)
    with pytest.raises(FormNotFoundError):
        registry.get(key)
    assert not registry.exists(key)


def test_a_file_whose_key_differs_from_its_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "review.json").write_text(json.dumps(definition_dict(key="approval")), encoding="utf-8")
    with pytest.raises(FormDefinitionError, match=r"^.*/review\.json: key: 'key' is 'approval'"):
        FormRegistry(tmp_path).get("review")


def test_errors_in_files_name_the_file_with_its_directory(tmp_path: Path) -> None:
    forms_dir = tmp_path / "forms"
    forms_dir.mkdir()
    data = definition_dict({"name": "a", "type": "texte"}, key="archive_review")
    (forms_dir / "archive_review.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        FormRegistry(forms_dir).get("archive_review")
    assert str(caught.value).startswith("forms/archive_review.json: fields[0]: unknown type 'texte'")


def test_invalid_json_reports_line_and_column() -> None:
    with pytest.raises(FormDefinitionError, match=r"forms/x\.json: line 2 column 1: invalid JSON"):
        load_form_text("x", '{"key": "x",\n}')


def test_duplicate_json_keys_are_refused() -> None:
    with pytest.raises(FormDefinitionError, match="duplicate JSON key 'title'"):
        load_form_text("x", '{"key": "x", "title": "A", "title": "B"}')


def test_form_text_from_a_process_version_may_be_bytes_with_a_bom() -> None:
    text = json.dumps(definition_dict(key="bundled"), ensure_ascii=False).encode("utf-8-sig")
    form = load_form_text("bundled", text, source="version 3: bundled.json")
    assert form.key == "bundled"
    with pytest.raises(FormDefinitionError, match="^version 3: bundled.json: not UTF-8"):
        load_form_text("bundled", b"\xff\xfe", source="version 3: bundled.json")


def test_oversized_form_text_is_refused_before_parsing() -> None:
    with pytest.raises(FormDefinitionError, match="larger than"):
        load_form_text("x", " " * 1_000_001)


def test_every_form_shipped_in_the_repository_loads() -> None:
    forms = FormRegistry(FORMS_DIR).load_all()
    assert {"generic_approval", "exam_scores"} <= set(forms)


def test_json_schema_lists_exactly_the_supported_field_types() -> None:
    schema = json.loads((FORMS_DIR / "schema" / "form.schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["$defs"]["field"]["properties"]["type"]["enum"]) == FIELD_TYPES


def test_json_schema_lists_exactly_the_supported_field_options() -> None:
    schema = json.loads((FORMS_DIR / "schema" / "form.schema.json").read_text(encoding="utf-8"))
    documented = set(schema["$defs"]["field"]["properties"])
    assert documented == set(COMMON_KEYS).union(*TYPE_KEYS.values())
