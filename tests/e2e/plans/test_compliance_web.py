"""The compliance overview page (issue 9.4): the bureau's tables and charts, the filters, the xlsx export, and an
institution that sees only its own row."""

from __future__ import annotations

import io

import openpyxl


def test_the_bureau_sees_every_institution_and_exam_site_with_charts(quarter, as_user):
    page = as_user("bureau").get("/compliance/?year=2026&quarter=3").get_data(as_text=True)
    assert "晋城安培职业培训学校" in page and "泽州县安全培训中心" in page and "晋城市第一考点" in page
    assert "培训计划按时报送" in page and "档案按时报送" in page
    assert page.count("<svg role=\"img\"") >= 3


def test_s12_each_institution_sees_only_its_own_row(quarter, as_user):
    page = as_user("inst_a").get("/compliance/?year=2026").get_data(as_text=True)
    assert "晋城安培职业培训学校" in page
    assert "泽州县安全培训中心" not in page and "晋城市第一考点" not in page


def test_the_county_filter_and_the_export(quarter, as_user, people):
    bureau = as_user("bureau")
    page = bureau.get(f"/compliance/?year=2026&county={people.orgs['ZZ']}").get_data(as_text=True)
    assert "泽州县安全培训中心" in page and "晋城安培职业培训学校" not in page
    answer = bureau.get("/compliance/overview.xlsx?year=2026&quarter=3")
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    rows = list(book["培训机构"].values)
    assert rows[0][:2] == ("单位", "所在县（市、区）") and "培训计划按时报送" in rows[0]
    assert [r[0] for r in rows[1:]] == ["晋城安培职业培训学校", "泽州县安全培训中心"]
