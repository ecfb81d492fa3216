"""The bureau's compliance overview (issue 9.4): every registered indicator per institution and exam site, for a
year or a quarter and optionally a county; an institution sees only its own row; the export is formula-safe."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from adapters.render.compliance_sheet import SheetData, overview_xlsx
from adapters.services.platform import compliance, deploy
from adapters.services.platform.compliance import Indicator, Measure, ReportPeriod
from adapters.services.platform.errors import InvalidData
from tests.bpmn.coverage import diagram_files
from tests.support.issuance import set_day
from tests.support.plans import file_plan, open_quarter, plan_of


@pytest.fixture
def diagrams(wiring, people):
    deploy.deploy(wiring.platform, diagram_files(), "admin")
    return wiring


def _register_probe(platform) -> None:
    """An indicator the overview knows nothing about (as another family would register one)."""
    def compute(_uow, period, ids):
        return {i: Measure(float(i), f"probe {period.key}", "warn") for i in ids}
    compliance.register(platform, Indicator("probe.count", "探针", "Probe", ("institution",), compute, order=5))


def _section(view, kind):
    return next(s for s in view.sections if s.kind == kind)


def test_the_overview_shows_every_registered_indicator_without_knowing_it(people):
    platform = people.wiring.platform
    _register_probe(platform)
    view = compliance.overview(platform, people.actor("bureau"), ReportPeriod(2026, 2))
    institutions = _section(view, "institution")
    keys = [i.key for i in institutions.indicators]
    assert keys[0] == "probe.count" and {"plans.filed_on_time", "issuance.archives_on_time"} <= set(keys)
    assert [r.name for r in institutions.rows] == ["晋城安培职业培训学校", "泽州县安全培训中心"]
    assert institutions.rows[0].measures[0].text == "probe 2026Q2"
    sites = _section(view, "exam_site")
    assert "probe.count" not in [i.key for i in sites.indicators]
    assert [r.name for r in sites.rows] == ["晋城市第一考点"]


def test_each_institution_sees_only_its_own_row(people):
    view = compliance.overview(people.wiring.platform, people.actor("inst_b"), ReportPeriod(2026))
    assert [s.kind for s in view.sections] == ["institution"]
    assert [r.organisation_id for r in view.sections[0].rows] == [people.orgs["INST-B"]]


def test_the_county_filter_keeps_the_organisations_of_that_county(people):
    view = compliance.overview(people.wiring.platform, people.actor("bureau"), ReportPeriod(2026), people.orgs["ZZ"])
    rows = _section(view, "institution").rows
    assert [(r.name, r.county) for r in rows] == [("泽州县安全培训中心", "泽州县应急管理局")]
    assert _section(view, "exam_site").rows == ()


def test_a_quarter_outside_one_to_four_is_refused_naming_the_field(people):
    with pytest.raises(InvalidData) as refused:
        compliance.overview(people.wiring.platform, people.actor("bureau"), ReportPeriod(2026, 5))
    assert "quarter" in refused.value.errors


def test_s12_plans_filed_on_time_counts_on_time_late_and_missed_plans(diagrams, people, fixed_clock):
    set_day(fixed_clock, dt.date(2026, 4, 1))
    open_quarter(diagrams, dt.date(2026, 4, 1))
    file_plan(diagrams, people.actor("inst_a"), plan_of(diagrams, people.orgs["INST-A"], 2026, 3).id,
              dt.date(2026, 7, 6))
    bureau = people.actor("bureau")
    before = compliance.overview(diagrams.platform, bureau, ReportPeriod(2026, 3))
    column = [i.key for i in _section(before, "institution").indicators].index("plans.filed_on_time")
    assert [r.measures[column] and r.measures[column].text for r in _section(before, "institution").rows] == [
        "1/1", None]  # INST-B's plan is not due yet: nothing to report
    set_day(fixed_clock, dt.date(2026, 6, 21))  # the day after the due date: INST-B missed it
    after = compliance.overview(diagrams.platform, bureau, ReportPeriod(2026))
    measures = [r.measures[column] for r in _section(after, "institution").rows]
    assert [(m.text, m.status) for m in measures] == [("1/1", "ok"), ("0/1", "bad")]


def test_the_export_writes_text_that_looks_like_a_formula_as_text():
    data = overview_xlsx([SheetData("培训机构", ("单位", "所在县"), (("=HYPERLINK(\"http://x\")", "+1"), ("安培", "")))])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["培训机构"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["B2"].data_type == "s" and sheet["A3"].value == "安培"
