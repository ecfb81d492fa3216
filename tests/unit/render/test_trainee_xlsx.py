"""Trainee import template and reader: round trip, every error type, duplicates, numeric IDs, progress."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from adapters.render.trainee_sheet import HEADERS, NOTES_SHEET, SHEET
from adapters.render.xlsx import RowError, read_trainee_rows, trainee_import_template
from tests.unit.render.sheets import FEMALE_ID, MALE_ID, OTHER_MALE_ID, X_ID, fill, sheet_values

JOB_TYPES = {"1.1": "高压电工作业", "1.2": "低压电工作业", "5.1": "煤矿井下电气作业", "5.10": "煤矿探放水作业"}


def row(changes: dict[str, Any] | None = None) -> list[Any]:
    """A valid data row in template column order, with some cells changed by column header."""
    values = dict(
        zip(
            HEADERS,
            [
                "王小明", MALE_ID, "男", "13812345678", "高中", "1.2", "初训",
                "否", "否", "否", "晋城市某某煤业有限公司",
            ],
            strict=True,
        )
    )
    values.update(changes or {})
    return list(values.values())


def read(rows: list[list[Any]], **kwargs: Any):
    data = fill(trainee_import_template(JOB_TYPES), rows, sheet=SHEET)
    return read_trainee_rows(io.BytesIO(data), job_types=JOB_TYPES, **kwargs)


def messages(result) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in result.errors]


def test_template_has_the_chinese_header_row_and_an_explanation_sheet() -> None:
    data = trainee_import_template()
    assert sheet_values(data, SHEET)[0] == HEADERS
    notes = [value for line in sheet_values(data, NOTES_SHEET) for value in line if value]
    assert any("初中、高中、中专/中技、大专、本科、硕士、博士" in str(value) for value in notes)


def test_template_formats_the_id_number_column_as_text() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(trainee_import_template()))[SHEET]
    assert sheet.column_dimensions["B"].number_format == "@"


def test_template_offers_dropdowns_for_gender_education_kind_flags_and_job_types() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(trainee_import_template(JOB_TYPES)))[SHEET]
    by_range = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert by_range["C2:C2001"] == '"男,女"'
    assert by_range["E2:E2001"] == '"初中,高中,中专/中技,大专,本科,硕士,博士"'
    assert by_range["G2:G2001"] == '"初训,复训"'
    assert by_range["H2:J2001"] == '"是,否"'
    assert by_range["F2:F2001"].startswith("'说明'!$A$")


def test_template_without_job_types_has_no_job_type_dropdown() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(trainee_import_template()))[SHEET]
    assert "F2:F2001" not in {str(dv.sqref) for dv in sheet.data_validations.dataValidation}


def test_filled_template_reads_back_as_clean_rows() -> None:
    second_trainee = {
        "姓名": "李芳", "身份证号": FEMALE_ID, "性别": "", "文化程度": "中专/中技",
        "培训类型(初训/复训)": "复训", "是否煤矿": "是", "工作单位": "泽州县某厂",
    }
    result = read([row(), row(second_trainee)])
    assert result.errors == []
    first, second = result.rows
    assert first == {
        "row": 2, "name": "王小明", "id_number": MALE_ID, "gender": "male", "mobile": "13812345678",
        "education": "high_school", "job_type_code": "1.2", "training_kind": "initial",
        "is_coal_mine": False, "is_key_hazard_unit": False, "is_newly_appointed": False,
        "employer": "晋城市某某煤业有限公司",
    }
    assert (second["row"], second["gender"], second["education"]) == (3, "female", "secondary_vocational")
    assert (second["training_kind"], second["is_coal_mine"]) == ("renewal", True)


@pytest.mark.parametrize(
    ("written", "key"),
    [("初中", "junior_middle"), ("大专", "junior_college"), ("本科", "bachelor"), ("硕士", "master"),
     ("博士", "doctor"), ("中专", "secondary_vocational"), ("中技", "secondary_vocational"),
     ("中专／中技", "secondary_vocational"), ("bachelor", "bachelor")],
)
def test_education_accepts_chinese_names_and_keys(written: str, key: str) -> None:
    assert read([row({"文化程度": written})]).rows[0]["education"] == key


def test_missing_required_fields_are_reported_by_excel_row_and_column_header() -> None:
    result = read([row(), row({"姓名": "", "身份证号": FEMALE_ID, "性别": "", "手机号": None, "工作单位": " "})])
    assert messages(result) == [
        (3, "姓名", "姓名不能为空"),
        (3, "手机号", "手机号不能为空"),
        (3, "工作单位", "工作单位不能为空"),
    ]
    assert [r["row"] for r in result.rows] == [2]


def test_id_number_with_a_wrong_check_character_is_reported() -> None:
    wrong = MALE_ID[:17] + ("0" if MALE_ID[17] != "0" else "1")
    assert messages(read([row({"身份证号": wrong})])) == [(2, "身份证号", "身份证号码校验位不符，请核对号码是否录入有误")]


def test_id_number_stored_as_a_number_asks_for_text_format() -> None:
    result = read([row({"身份证号": int(MALE_ID[:17] + "0")})])
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号")]
    assert "文本格式" in result.errors[0].message
    assert result.rows == []


def test_lower_case_x_is_normalised() -> None:
    assert read([row({"身份证号": X_ID.lower(), "性别": ""})]).rows[0]["id_number"] == X_ID


def test_the_same_id_twice_reports_both_rows() -> None:
    result = read([row(), row({"身份证号": FEMALE_ID, "性别": "女"}), row({"姓名": "王晓明"})])
    assert messages(result) == [
        (2, "身份证号", "身份证号与第4行重复"),
        (4, "身份证号", "身份证号与第2行重复"),
    ]
    assert [r["row"] for r in result.rows] == [3]


def test_unknown_education_is_reported() -> None:
    result = read([row({"文化程度": "小学"})])
    assert [(e.row, e.column) for e in result.errors] == [(2, "文化程度")]
    assert "“小学”无法识别" in result.errors[0].message


def test_unknown_job_type_code_is_reported() -> None:
    assert messages(read([row({"工种代码": "99.9"})])) == [(2, "工种代码", "工种代码“99.9”不在工种目录中")]


def test_numeric_job_type_code_is_accepted_only_when_no_other_code_reads_the_same() -> None:
    assert read([row({"工种代码": 1.2})]).rows[0]["job_type_code"] == "1.2"
    result = read([row({"工种代码": 5.1})])
    assert [(e.row, e.column) for e in result.errors] == [(2, "工种代码")]
    assert "5.10" in result.errors[0].message


def test_gender_is_taken_from_the_id_number_when_blank_and_checked_when_given() -> None:
    assert read([row({"身份证号": FEMALE_ID, "性别": None})]).rows[0]["gender"] == "female"
    assert messages(read([row({"性别": "女"})])) == [(2, "性别", "性别“女”与身份证号不符")]


def test_invalid_mobile_training_kind_and_flag_values_are_reported() -> None:
    result = read([row({"手机号": "1234567", "培训类型(初训/复训)": "再训", "是否两重点一重大单位": "不确定"})])
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "手机号"), (2, "培训类型(初训/复训)"), (2, "是否两重点一重大单位"),
    ]
    assert "“再训”" in result.errors[1].message


def test_mobile_typed_as_a_number_is_accepted() -> None:
    assert read([row({"手机号": 13812345678})]).rows[0]["mobile"] == "13812345678"


def test_blank_rows_between_data_are_skipped_but_keep_excel_row_numbers() -> None:
    result = read([row(), [None] * len(HEADERS), row({"身份证号": FEMALE_ID, "性别": "女", "手机号": "abc"})])
    assert [(e.row, e.column) for e in result.errors] == [(4, "手机号")]


def test_more_rows_than_allowed_is_reported_and_reading_stops() -> None:
    ids = [MALE_ID, FEMALE_ID, OTHER_MALE_ID]
    result = read([row({"身份证号": i, "性别": ""}) for i in ids], max_rows=2)
    assert result.errors == [RowError(4, "", "数据超过2行上限，请分批导入（从第4行起未读取）")]
    assert [r["row"] for r in result.rows] == [2, 3]


def test_progress_callback_reports_rows_read_and_ends_complete() -> None:
    calls: list[tuple[int, int]] = []
    rows = [row({"姓名": f"学员{i}", "身份证号": None}) for i in range(120)]
    read(rows, progress=lambda done, total: calls.append((done, total)))
    assert calls[:2] == [(50, 120), (100, 120)]
    assert calls[-1] == (120, 120)


def test_a_missing_header_column_is_reported_on_row_one() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append([h for h in HEADERS if h != "工种代码"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_trainee_rows(buffer.getvalue(), job_types=JOB_TYPES)
    assert messages(result) == [(1, "工种代码", "表头缺少“工种代码”列，请使用系统下载的模板")]


def test_full_width_brackets_and_reordered_columns_in_the_header_are_accepted() -> None:
    headers = [h.replace("(", "（").replace(")", "）") for h in reversed(HEADERS)]
    workbook = openpyxl.Workbook()
    workbook.active.append(headers)
    workbook.active.append(list(reversed(row())))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_trainee_rows(buffer.getvalue(), job_types=JOB_TYPES)
    assert result.errors == []
    assert result.rows[0]["name"] == "王小明"


def test_a_file_that_is_not_xlsx_is_reported_as_a_whole_file_error() -> None:
    result = read_trainee_rows(b"name,id\n", job_types=JOB_TYPES)
    assert messages(result) == [(0, "", "无法读取文件：请上传 Excel 工作簿（.xlsx）")]


def test_an_empty_template_is_reported_as_having_no_data() -> None:
    result = read_trainee_rows(trainee_import_template(JOB_TYPES), job_types=JOB_TYPES)
    assert messages(result) == [(2, "", "表格中没有数据，请从第2行起逐行填写")]
    assert result.rows == []
