"""The full-staff exam (S5) driven through HTTP only, as the three organisations' browsers would post it."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from tests.e2e.web.conftest import post_form
from tests.support.enterprises import roster_xlsx
from tests.support.issuance import PDF_BYTES, set_day

CASE_URL = re.compile(r"/enterprises/suspensions/([0-9]+)$")
CELL = re.compile(r'name="(s-[0-9]+-theory_(?:main|resit))"')
TASK_LINK = re.compile(r'href="/tasks/([0-9a-f-]{36})')


class HttpFlow:
    def __init__(self, as_user: Any, clock: Any, enterprise_id: int, *, bureau: str = "sup_zz",
                 enterprise: str = "ent_zz") -> None:
        self.bureau, self.enterprise, self.site = as_user(bureau), as_user(enterprise), as_user("site")
        self.clock, self.enterprise_id = clock, enterprise_id
        self.case_url = ""

    def suspend(self) -> str:
        response = post_form(self.bureau, "/enterprises/suspensions/new", {
            "enterprise_id": str(self.enterprise_id), "cause": "major_hazard", "order_no": "泽应急停〔2026〕8号",
            "order_date": "2026-03-02", "order_document": (io.BytesIO(PDF_BYTES), "指令.pdf")},
            content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self.case_url = response.headers["Location"]
        assert CASE_URL.search(self.case_url)
        return self.case_url

    def roster(self, count: int) -> Any:
        response = post_form(self.enterprise, f"{self.case_url}/roster",
                             {"sheet": (io.BytesIO(roster_xlsx(count)), "花名册.xlsx")},
                             content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return post_form(self.enterprise, f"{self.case_url}/submit-roster", {"confirmed": "on"})

    def schedule(self, day: dt.date) -> Any:
        return post_form(self.bureau, f"{self.case_url}/schedule",
                         {"exam_site_code": "SITE-1", "exam_date": day.isoformat()})

    def exam_day(self, day: dt.date, class_id: int, theory: int = 90) -> None:
        set_day(self.clock, day)
        page = self.site.get(f"/classes/{class_id}/scores").get_data(as_text=True)
        cells = [name for name in CELL.findall(page) if name.endswith("theory_main")]
        assert cells, page[:1000]
        response = post_form(self.site, f"/classes/{class_id}/scores", {name: str(theory) for name in cells})
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
        inbox = self.site.get("/inbox/?tab=group").get_data(as_text=True)
        task_id = TASK_LINK.search(inbox)
        assert task_id, inbox[inbox.find("<main"):][:1500]
        done = post_form(self.site, f"/tasks/{task_id.group(1)}", {"confirmed": "y", "_action": "submit"})
        assert done.status_code == 302, done.get_data(as_text=True)[:800]

    def decide(self, decision: str) -> Any:
        return post_form(self.bureau, f"{self.case_url}/decide", {"decision": decision, "decision_note": "审查通过"})
