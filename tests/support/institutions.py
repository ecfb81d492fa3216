"""Helpers of the institutions tests: open a quarter's surveys through the calendar start, fill A2 forms with
real image and PDF bytes, file and score a survey."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from PIL import Image

from adapters.services import institutions
from adapters.services.institutions import surveys
from adapters.services.institutions.context import InstitutionsContext, institutions_context
from adapters.services.platform import documents, recurring
from storage.models_institutions import InstitutionSurvey
from tests.support.issuance import PDF_BYTES, complete, set_day


def ctx_of(wiring) -> InstitutionsContext:
    return institutions_context(wiring)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name: str = "现场.png") -> documents.Upload:
    return documents.Upload(io.BytesIO(png_bytes()), name)


def scan(name: str = "签字.pdf") -> documents.Upload:
    return documents.Upload(io.BytesIO(PDF_BYTES), name)


def a2_fields(n: int, visit: dt.date, **changes: str) -> dict[str, str]:
    fields = {"enterprise_name": f"晋城第{n}煤业有限公司", "industry": "煤矿", "address": f"晋城市泽州县{n}号",
              "visit_date": visit.isoformat(), "enterprise_head": f"企业负责人{n}", "phone": "0356-1234567",
              "survey_method": "meeting_principal", "surveyors": "张老师、李老师", "content": "培训现状与需求座谈",
              "needs": "班组长再培训课程增加事故案例"}
    fields.update(changes)
    return fields


def enable_calendar_start(wiring) -> None:
    """What ``institutions.install`` will do once the filing pages exist: the calendar opens each quarter's survey."""
    from adapters.services.institutions import survey_recurrence

    recurring.register(wiring.platform, survey_recurrence)


def open_quarter(wiring, clock, day: dt.date) -> dict[str, InstitutionSurvey]:
    """Let the calendar start the quarter's surveys on ``day``; returns them by institution code."""
    set_day(clock, day)
    enable_calendar_start(wiring)
    recurring.start_due(wiring.platform, day)
    with wiring.platform.reader() as uow:
        codes = {o.id: o.code for o in uow.directory.organisations("institution")}
        rows = uow.session.query(InstitutionSurvey).all()
        for row in rows:
            uow.session.expunge(row)
        return {codes[r.organisation_id]: r for r in rows}


def add_forms(ctx: InstitutionsContext, actor, survey: InstitutionSurvey, count: int, visit: dt.date) -> list[int]:
    return [surveys.add_enterprise_form(ctx, actor, survey.id, a2_fields(n, visit), [photo()], scan())
            for n in range(1, count + 1)]


def file_survey(wiring, ctx: InstitutionsContext, actor, survey: InstitutionSurvey) -> str:
    report = documents.attach(wiring.platform, wiring.objects, actor, scan("调研报告.pdf"),
                              max_bytes=ctx.upload_max_bytes, instance_id=survey.instance_id)
    return complete(wiring, actor, survey.instance_id, "file_survey", {
        "needs_analysis": "企业需要事故案例教学", "problems": "课程偏理论", "measures": "增加现场实操与案例课",
        "report_scan": report, "confirmed": True})


def score(wiring, actor, survey: InstitutionSurvey, points: int, note: str = "") -> str:
    each = {name: points // 4 + (1 if i < points % 4 else 0) for i, name in
            enumerate(("score_coverage", "score_forms", "score_report", "score_measures"))}
    data: dict[str, Any] = {**each, "score_note": note}
    return complete(wiring, actor, survey.instance_id, "score_survey", data)


__all__ = ["institutions"]
