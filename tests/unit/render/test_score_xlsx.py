"""Exam-site score entry by xlsx (S3 same-day resit columns) and the A1.4(3) score summary table."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest

from adapters.render.score_sheet import HEADERS, SHEET
from adapters.render.xlsx import ABSENT, read_score_rows, score_import_template, score_summary_xlsx
from tests.unit.render.sheets import FEMALE_ID, MALE_ID, OTHER_MALE_ID, fill, sheet_values

CANDIDATES = [
    {"id_number": MALE_ID, "name": "王小明"},
    {"id_number": FEMALE_ID, "name": "李芳"},
]


def read(scores: list[list[Any]], **kwargs: Any):
    """Type score columns (C–F) next to the pre-filled roster, then read the file back."""
    data = fill(score_import_template(CANDIDATES), scores, sheet=SHEET)
    return read_score_rows(io.BytesIO(data), candidates=CANDIDATES, **kwargs)


def with_roster(scores: list[list[Any]]) -> list[list[Any]]:
    return [[c["id_number"], c["name"], *line] for c, line in zip(CANDIDATES, scores, strict=False)]


def errors(result) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in result.errors]


def test_score_template_prefills_the_roster_as_text_and_locks_it() -> None:
    data = score_import_template(CANDIDATES)
    assert sheet_values(data, SHEET) == [
        HEADERS,
        (MALE_ID, "王小明", None, None, None, None),
        (FEMALE_ID, "李芳", None, None, None, None),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(data))[SHEET]
    assert sheet.protection.sheet is True
    assert sheet["A2"].number_format == "@"
    assert sheet["A2"].protection.locked is True
    assert sheet["C2"].protection.locked is False
    assert [str(dv.sqref) for dv in sheet.data_validations.dataValidation] == ["C2:F3"]


def test_score_template_refuses_a_candidate_without_id_number() -> None:
    with pytest.raises(ValueError, match="第2项"):
        score_import_template([CANDIDATES[0], {"name": "无号"}])


def test_s3_scores_round_trip_with_resit_absent_and_blank() -> None:
    result = read(with_roster([[70, 85.5, 90, None], ["缺考", None, None, None]]))
    assert result.errors == []
    assert result.rows == [
        {"row": 2, "id_number": MALE_ID, "name": "王小明", "theory_main": 70.0, "theory_resit": 85.5,
         "practical_main": 90.0, "practical_resit": None},
        {"row": 3, "id_number": FEMALE_ID, "name": "李芳", "theory_main": ABSENT, "theory_resit": None,
         "practical_main": None, "practical_resit": None},
    ]


def test_scores_typed_as_text_are_read_as_numbers() -> None:
    assert read(with_roster([["88", " 92 ", None, None]])).rows[0]["theory_resit"] == 92.0


def test_scores_outside_0_to_100_or_not_numbers_are_reported() -> None:
    result = read(with_roster([[101, None, -1, None], ["良好", None, True, None]]))
    assert errors(result) == [(2, "理论正考"), (2, "实操正考"), (3, "理论正考"), (3, "实操正考")]
    assert result.errors[0].message == "理论正考应在 0–100 之间，当前为“101”"
    assert "“良好”" in result.errors[2].message
    assert result.rows == []


def test_s3_a_resit_score_without_a_main_score_is_reported() -> None:
    result = read(with_roster([[None, 85, None, 90]]))
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "理论补考", "填写了理论补考成绩，但理论正考为空"),
        (2, "实操补考", "填写了实操补考成绩，但实操正考为空"),
    ]


def test_a_person_not_on_the_roster_and_a_changed_name_are_reported() -> None:
    result = read([[OTHER_MALE_ID, "赵六", 90, None, 90, None], [FEMALE_ID, "李方", 90, None, 90, None]])
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "身份证号", "身份证号不在本期次考生名单中"),
        (3, "姓名", "姓名与考生名单不符（名单中为“李芳”）"),
    ]


def test_a_candidate_entered_twice_reports_both_rows() -> None:
    result = read(with_roster([[90, None, 90, None]]) + [[MALE_ID, "王小明", 80, None, 80, None]])
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "身份证号", "身份证号与第3行重复"),
        (3, "身份证号", "身份证号与第2行重复"),
    ]


def test_an_id_number_stored_as_a_number_asks_for_text_format() -> None:
    result = read([[int(MALE_ID[:17] + "0"), "王小明", 90, None, 90, None]])
    assert errors(result) == [(2, "身份证号")]
    assert "文本格式" in result.errors[0].message


def test_score_reader_reports_progress() -> None:
    calls: list[tuple[int, int]] = []
    read(with_roster([[90, None, 90, None]]), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 2)]


CLASS_INFO = {
    "institution_name": "晋城市安全生产培训中心",
    "job_type_label": "低压电工作业",
    "training_kind_label": "初训",
    "class_no": "2025-07",
    "exam_site_name": "晋城市应急管理资格考试中心",
    "exam_date": date(2025, 7, 10),
}
SUMMARY_ROWS = [
    {"name": "王小明", "id_number": MALE_ID, "theory_main": 70.0, "theory_resit": 85.5,
     "practical_main": 90.0, "practical_resit": None, "passed": True},
    {"name": "李芳", "id_number": FEMALE_ID, "theory_main": ABSENT, "theory_resit": None,
     "practical_main": None, "practical_resit": None, "passed": False},
]


@pytest.fixture(scope="module")
def summary() -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(score_summary_xlsx(CLASS_INFO, SUMMARY_ROWS))).active


def cells(sheet) -> list[Any]:
    return [value for line in sheet.iter_rows(values_only=True) for value in line if value is not None]


def test_a1_4_summary_title_names_institution_job_type_kind_and_class(summary) -> None:
    assert summary["A1"].value == "晋城市安全生产培训中心低压电工作业初训2025-07期次考生成绩汇总表"
    assert "考点：晋城市应急管理资格考试中心" in summary["A2"].value
    assert "考试日期：2025-07-10" in summary["A2"].value


def test_a1_4_summary_lists_masked_ids_scores_and_results(summary) -> None:
    rows = [line for line in summary.iter_rows(min_row=5, max_row=6, values_only=True)]
    assert rows == [
        (1, "王小明", "140502********" + MALE_ID[-4:], 70, 85.5, 90, None, "合格"),
        (2, "李芳", "140521********" + FEMALE_ID[-4:], "缺考", None, None, None, "不合格"),
    ]


def test_summary_never_contains_a_full_id_number(summary) -> None:
    text = " ".join(str(value) for value in cells(summary))
    assert MALE_ID not in text
    assert FEMALE_ID not in text


def test_summary_has_totals_and_signature_lines_for_the_exam_site(summary) -> None:
    text = " ".join(str(value) for value in cells(summary))
    assert "应考人数：2" in text
    assert "合格率：50.0%" in text
    assert "考点负责人（签字）" in text
    assert "考点（盖章）" in text


def test_summary_prints_landscape_fitted_to_one_page_width(summary) -> None:
    assert summary.page_setup.orientation == "landscape"
    assert summary.page_setup.fitToWidth == 1
    assert summary.page_setup.fitToHeight == 0
    assert summary.sheet_properties.pageSetUpPr.fitToPage is True
    assert summary.print_title_rows == "$4:$4"


def test_summary_without_class_number_is_refused() -> None:
    with pytest.raises(ValueError, match="class_no"):
        score_summary_xlsx({**CLASS_INFO, "class_no": ""}, SUMMARY_ROWS)
