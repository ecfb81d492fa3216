"""Job types and the special-operations catalogue."""

import pytest

from adapters.rules.catalogue import (
    CATEGORIES,
    OPERATION_TYPES,
    in_category,
    is_known_job_type,
    is_leader,
    is_special_operation,
    job_type_label,
    operation_type,
    operation_types,
)


def test_catalogue_has_ten_categories_and_51_operation_types():
    assert list(CATEGORIES) == [str(n) for n in range(1, 11)]
    assert len(OPERATION_TYPES) == 51


@pytest.mark.parametrize(
    ("category", "count"), [("1", 3), ("2", 3), ("3", 2), ("4", 2), ("5", 10), ("6", 8), ("7", 1), ("8", 1),
                            ("9", 16), ("10", 5)]
)
def test_each_category_has_its_2010_number_of_operation_types(category, count):
    codes = [op.code for op in operation_types(category)]
    assert codes == [f"{category}.{n}" for n in range(1, count + 1)]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("1.1", "高压电工作业"),
        ("2.3", "钎焊作业"),
        ("5.1", "煤矿井下电气作业"),
        ("5.10", "煤矿探放水作业"),
        ("6.8", "金属非金属矿山爆破作业"),
        ("9.16", "化工自动化控制仪表作业"),
        ("10.5", "烟花爆竹储存作业"),
    ],
)
def test_operation_names_follow_the_2010_catalogue(code, name):
    assert operation_type(code).name == name


def test_unknown_operation_code_is_named_in_the_error():
    with pytest.raises(ValueError, match="操作项目代码“11.1”"):
        operation_type("11.1")


def test_job_type_labels_for_leaders_and_special_operations():
    assert job_type_label("principal_leader") == "主要负责人"
    assert job_type_label("safety_manager") == "安全生产管理人员"
    assert job_type_label("team_leader") == "班组长"
    assert job_type_label("5.1") == "煤矿安全作业—煤矿井下电气作业"


def test_job_type_predicates():
    assert is_special_operation("9.3") and not is_special_operation("team_leader")
    assert is_known_job_type("team_leader") and is_known_job_type("1.2") and not is_known_job_type("1.9")
    assert is_leader("principal_leader") and is_leader("safety_manager") and not is_leader("team_leader")
    assert in_category("5.4", "5") and not in_category("5.4", "9") and not in_category("safety_manager", "5")
