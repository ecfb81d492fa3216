"""The printable notice of the coming quarter's training classes for the local newspaper (S12), as a PDF.

Plain values in, bytes out; the fonts are the system's Noto CJK (fonts-noto-cjk), as the certificates use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import jinja2

from adapters.render.certificates import TEMPLATES


@dataclass(frozen=True)
class NoticeClass:
    institution_name: str
    job_type_label: str
    training_kind_label: str
    start_date: str
    end_date: str
    place: str
    capacity: int


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def notice_html(title: str, authority: str, rows: Sequence[NoticeClass]) -> str:
    return _environment().get_template("plan_notice.html").render(title=title, authority=authority, rows=rows)


def render_notice_pdf(title: str, authority: str, rows: Sequence[NoticeClass]) -> bytes:
    import weasyprint  # loads Pango/fontconfig: only when a PDF is made

    pdf = weasyprint.HTML(string=notice_html(title, authority, rows), base_url=str(TEMPLATES)).write_pdf()
    assert pdf is not None
    return pdf
