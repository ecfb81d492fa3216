"""Certificate PDFs: real Chinese text, a decodable QR code, one A4 landscape page."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pypdf
import pypdfium2
import pytest
import zxingcpp

from adapters.render.certificates import (
    TITLE_MANAGEMENT,
    TITLE_SPECIAL_OPERATIONS,
    CertificateView,
    certificate_html,
    format_chinese_date,
    render_certificate_pdf,
)

VIEW = CertificateView(
    number="T140502199001010019",
    holder_name="欧阳明辉",
    id_number_masked="140502********0019",
    gender="男",
    job_type_label="低压电工作业",
    training_kind_label="初训",
    issuing_authority="晋城市应急管理局",
    issue_date=date(2025, 6, 3),
    valid_until=date(2031, 6, 2),
    review_due=date(2028, 6, 2),
    class_no="2025-07",
    institution_name="晋城市安全生产培训中心",
    verify_url="https://anpei.example.gov.cn/certificates/T140502199001010019",
)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_certificate_pdf(VIEW, title=TITLE_SPECIAL_OPERATIONS)


def page_text(data: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_certificate_pdf_holds_holder_name_and_job_type_as_extractable_text(pdf: bytes) -> None:
    text = page_text(pdf)
    assert "欧阳明辉" in text
    assert "低压电工作业" in text
    assert TITLE_SPECIAL_OPERATIONS in text


def test_certificate_shows_number_masked_id_dates_and_in_system_verification_note(pdf: bytes) -> None:
    text = page_text(pdf)
    for expected in (
        "T140502199001010019",
        "140502********0019",
        "本证书信息仅供系统内核验",
        "晋城市应急管理局",
        "2031年06月02日",
        "应复审日期",
        "晋城市安全生产培训中心",
    ):
        assert expected in text


def test_certificate_qr_code_decodes_to_the_verify_url(pdf: bytes) -> None:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [VIEW.verify_url]


def test_certificate_is_a_single_a4_landscape_page(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_the_same_view_renders_identical_bytes(pdf: bytes) -> None:
    assert render_certificate_pdf(VIEW, title=TITLE_SPECIAL_OPERATIONS) == pdf


def test_management_certificate_without_review_date_leaves_the_review_row_out() -> None:
    view = dataclasses.replace(VIEW, review_due=None, job_type_label="危险化学品生产单位安全生产管理人员")
    text = page_text(render_certificate_pdf(view, title=TITLE_MANAGEMENT))
    assert TITLE_MANAGEMENT in text
    assert "危险化学品生产单位安全生产管理人员" in text
    assert "应复审日期" not in text


def test_holder_name_with_markup_is_printed_as_text_not_html() -> None:
    html = certificate_html(dataclasses.replace(VIEW, holder_name="<b>张三</b>"), title=TITLE_MANAGEMENT)
    assert "&lt;b&gt;张三&lt;/b&gt;" in html
    assert "<b>张三</b>" not in html


def test_certificate_without_verify_url_is_refused() -> None:
    with pytest.raises(ValueError, match="verify_url"):
        certificate_html(dataclasses.replace(VIEW, verify_url=" "), title=TITLE_MANAGEMENT)


def test_certificate_valid_until_before_issue_date_is_refused() -> None:
    with pytest.raises(ValueError, match="valid_until"):
        certificate_html(dataclasses.replace(VIEW, valid_until=date(2025, 1, 1)), title=TITLE_MANAGEMENT)


def test_dates_print_in_chinese_with_two_digit_month_and_day() -> None:
    assert format_chinese_date(date(2025, 6, 3)) == "2025年06月03日"
