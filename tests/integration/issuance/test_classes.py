"""Classes and trainees: registration, xlsx import that stores every row or none, masked ID numbers in lists, and
who sees which class."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.services.issuance import classes, views
from adapters.services.platform.errors import Conflict, Forbidden, InvalidData, NotFound
from tests.support.issuance import id_number, name_of, trainee
from tests.unit.render.sheets import fill

HEADER_ORDER = ("姓名", "身份证号", "性别", "手机号", "文化程度", "工种代码", "培训类型(初训/复训)", "是否煤矿",
                "是否两重点一重大单位", "是否新任职", "工作单位")


def sheet_row(n: int, *, job: str = "1.2", education: str = "高中", id_text: str | None = None) -> list:
    return [name_of(n), id_text or id_number(n), "", "13900000000", education, job, "初训", "否", "否", "否",
            "晋城某煤业公司"]


def test_registering_a_class_checks_every_field_in_chinese(ctx, inst):
    with pytest.raises(InvalidData) as refused:
        classes.register_class(ctx, inst, class_no=" ", job_type="9.99", training_kind="again",
                               start_date=dt.date(2026, 3, 6), end_date=dt.date(2026, 3, 2))
    assert set(refused.value.errors) == {"class_no", "job_type", "training_kind", "end_date"}


def test_only_institution_staff_register_classes(ctx, bureau):
    with pytest.raises(Forbidden):
        classes.register_class(ctx, bureau, class_no="X", job_type="1.2", training_kind="initial",
                               start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 6))


def test_a_trainee_list_with_one_bad_id_number_stores_nobody(ctx, inst, new_class):
    bad = trainee(2)
    bad = type(bad)(**{**bad.__dict__, "id_number": bad.id_number[:-1] + ("0" if bad.id_number[-1] != "0" else "1")})
    with pytest.raises(InvalidData) as refused:
        new_class([trainee(1), bad, trainee(1)])
    assert set(refused.value.errors) == {"trainees[1].id_number", "trainees[2].id_number"}
    assert "校验位" in refused.value.errors["trainees[1].id_number"]
    assert "重复" in refused.value.errors["trainees[2].id_number"]
    assert views.list_classes(ctx, inst) == []


def test_an_xlsx_import_stores_every_row_or_none_and_names_the_bad_rows(ctx, inst, new_class):
    class_id = new_class([trainee(1)])
    template = classes.import_template()
    broken = fill(template, [sheet_row(2), sheet_row(3, education="小学"), sheet_row(1)], sheet="学员信息")
    outcome = classes.import_trainees_xlsx(ctx, inst, class_id, broken)
    assert outcome.imported == 0
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "文化程度")]
    duplicate = fill(template, [sheet_row(2), sheet_row(1)], sheet="学员信息")
    outcome = classes.import_trainees_xlsx(ctx, inst, class_id, duplicate)
    assert outcome.imported == 0 and [(e.row, e.column) for e in outcome.errors] == [(3, "身份证号")]
    good = fill(template, [sheet_row(2), sheet_row(3, job="5.1")], sheet="学员信息")
    assert classes.import_trainees_xlsx(ctx, inst, class_id, good).imported == 2
    rows = views.class_overview(ctx, inst, class_id).trainees
    assert [r.name for r in rows] == [name_of(1), name_of(2), name_of(3)]


def test_lists_show_id_numbers_masked(ctx, inst, new_class):
    class_id = new_class([trainee(1)])
    [row] = views.class_overview(ctx, inst, class_id).trainees
    assert row.id_number_masked == "140502********" + id_number(1)[-4:]
    assert id_number(1) not in repr(row)


def test_each_role_lists_the_classes_it_works_with(ctx, inst, people, new_class):
    from adapters.services.issuance.context import repo
    from adapters.services.issuance.exams import schedule_exam
    from tests.integration.issuance.certificates_support import EXAM

    first, second = new_class(), new_class()
    with ctx.platform.uow() as uow:
        schedule_exam(ctx, uow, repo(uow), second, "SITE-1", EXAM)
        uow.commit()
    assert {c.id for c in views.list_classes(ctx, inst)} == {first, second}
    assert {c.id for c in views.list_classes(ctx, people.actor("bureau"))} == {first, second}
    assert [c.id for c in views.list_classes(ctx, people.actor("site"))] == [second]
    assert views.list_classes(ctx, people.actor("inst_b")) == []


def test_the_issuance_process_starts_once_per_class_by_its_institution(ctx, inst, people, deployed, new_class):
    class_id = new_class()
    with pytest.raises(NotFound):  # another institution does not even learn that the class exists
        classes.start_issuance(ctx, people.actor("inst_b"), class_id)
    instance_id = classes.start_issuance(ctx, inst, class_id)
    assert views.class_overview(ctx, inst, class_id).summary.instance_id == instance_id
    with pytest.raises(Conflict):
        classes.start_issuance(ctx, inst, class_id)
