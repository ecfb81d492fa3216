"""Helpers of the class-page tests: a signed-in user acting through the pages and the task forms, over HTTP."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from adapters.services.issuance import classes
from tests.support.issuance import PDF_BYTES, id_number, name_of
from tests.unit.render.sheets import fill

TASK = re.compile(r'<li data-bpmn="([a-z_]+)" data-task="([0-9a-f-]+)">')


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def sheet(rows: list[list[Any]]) -> bytes:
    """The trainee import template filled with ``rows``, as an institution would."""
    return fill(classes.import_template(), rows, sheet="学员信息")


def sheet_row(n: int, job: str = "1.2", education: str = "高中", kind: str = "初训", coal: str = "否",
              hazard: str = "否", new: str = "否") -> list[Any]:
    return [name_of(n), id_number(n), "", "13900000000", education, job, kind, coal, hazard, new, "晋城某公司"]


@dataclass
class User:
    """One signed-in person; ``post`` adds the CSRF token like the browser."""

    client: FlaskClient
    post_form: Any

    def get(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        assert response.status_code == status, f"GET {url}: {response.status_code}\n{text(response)[:3000]}"
        return text(response)

    def post(self, url: str, data: dict[str, Any], status: int = 302, **kwargs: Any) -> Any:
        response = self.post_form(self.client, url, data, **kwargs)
        assert response.status_code == status, f"POST {url}: {response.status_code}\n{_main(text(response))}"
        return response

    def upload(self, url: str, name: str = "scan.pdf", status: int = 302) -> Any:
        return self.post(url, {"file": (io.BytesIO(PDF_BYTES), name)}, status=status,
                         content_type="multipart/form-data")

    def task(self, class_id: int, bpmn_id: str) -> str:
        """The id of the open task ``bpmn_id``, as linked from the class page."""
        found = dict(TASK.findall(self.get(f"/classes/{class_id}")))
        assert bpmn_id in found, f"no open task {bpmn_id} on the class page; open: {sorted(found)}"
        return found[bpmn_id]

    def complete(self, class_id: int, bpmn_id: str, data: dict[str, Any], status: int = 302) -> str:
        task_id = self.task(class_id, bpmn_id)
        self.get(f"/tasks/{task_id}")
        return text(self.post(f"/tasks/{task_id}", {**data, "_action": "submit"}, status=status))


def _main(page: str) -> str:
    """The page's main content as text (for assertion messages)."""
    body = page.split("<main", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))[:3000]
