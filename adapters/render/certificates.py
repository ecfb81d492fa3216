"""Electronic certificate PDFs (A4 landscape, Chinese text, QR code for in-system verification)."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import jinja2
import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage

TEMPLATES = Path(__file__).parent / "templates"

TITLE_MANAGEMENT = "安全生产知识和管理能力考核合格证"
TITLE_SPECIAL_OPERATIONS = "特种作业操作证"


@dataclass(frozen=True)
class CertificateView:
    """The plain values printed on one certificate; the ID number arrives already masked."""

    number: str
    holder_name: str
    id_number_masked: str
    gender: str
    job_type_label: str
    training_kind_label: str
    issuing_authority: str
    issue_date: date
    valid_until: date
    review_due: date | None
    class_no: str
    institution_name: str
    verify_url: str


def format_chinese_date(value: date) -> str:
    """Format a date the way Chinese certificates print it: 2025年06月01日."""
    return f"{value.year}年{value.month:02d}月{value.day:02d}日"


def qr_svg(text: str) -> bytes:
    """Return an SVG QR code (error correction M) encoding `text`."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=SvgPathImage).save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _check(view: CertificateView, title: str) -> None:
    required = {
        "title": title,
        "number": view.number,
        "holder_name": view.holder_name,
        "verify_url": view.verify_url,
        "issuing_authority": view.issuing_authority,
    }
    missing = [name for name, value in required.items() if not value.strip()]
    if missing:
        raise ValueError(f"证书内容缺少必填项 (missing certificate fields): {', '.join(missing)}")
    if view.valid_until < view.issue_date:
        raise ValueError("有效期至早于发证日期 (valid_until is before issue_date)")


def certificate_html(view: CertificateView, *, title: str) -> str:
    """Return the certificate as HTML (the PDF's source, also usable for an on-screen preview)."""
    _check(view, title)
    qr_uri = "data:image/svg+xml;base64," + base64.b64encode(qr_svg(view.verify_url)).decode("ascii")
    return _environment().get_template("certificate.html").render(
        view=view,
        title=title,
        issue_date=format_chinese_date(view.issue_date),
        valid_until=format_chinese_date(view.valid_until),
        review_due=format_chinese_date(view.review_due) if view.review_due else None,
        qr_data_uri=qr_uri,
    )


def render_certificate_pdf(view: CertificateView, *, title: str) -> bytes:
    """Render one certificate as a single-page PDF; the same view gives the same bytes."""
    # Imported here because WeasyPrint loads Pango/fontconfig, which modules that only
    # need CertificateView (services, tests of other layers) should not pay for.
    import weasyprint

    html = weasyprint.HTML(string=certificate_html(view, title=title), base_url=str(TEMPLATES))
    pdf = html.write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf
