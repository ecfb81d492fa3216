"""Uploads are typed by their bytes, never their names: real files pass, disguised executables do not."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook
from PIL import Image

from storage.objects import (
    ALLOWED,
    JPEG,
    PDF,
    PNG,
    XLSX,
    StorageError,
    UnsupportedFileType,
    check_upload,
    sniff,
    sniff_stream,
)

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PE_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48) + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
SCRIPT = b"#!/bin/sh\nrm -rf /\n"


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号", "成绩"])
    sheet.append(["张三", "110101199003071234", 92])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _xlsm() -> bytes:
    """A macro-enabled workbook: same parts as xlsx plus a VBA project."""
    content_types = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    return _zip(
        {"[Content_Types].xml": content_types, "xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"VBA"}
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [(TINY_PDF, PDF), (_image("PNG"), PNG), (_image("JPEG"), JPEG)],
    ids=["pdf", "png", "jpeg"],
)
def test_real_files_are_recognised_from_their_first_bytes(data: bytes, expected: str) -> None:
    assert sniff(data[:16]) == expected
    assert sniff_stream(io.BytesIO(data)) == expected


def test_an_xlsx_workbook_is_recognised_by_opening_the_zip() -> None:
    assert sniff_stream(io.BytesIO(_xlsx())) == XLSX


def test_sniffing_a_zip_from_its_head_alone_gives_no_answer() -> None:
    assert sniff(_xlsx()[:16]) is None


@pytest.mark.parametrize(
    "data",
    [
        PE_EXE,
        ELF,
        SCRIPT,
        _zip({"readme.txt": b"hello"}),
        _zip({"xl/workbook.xml": b"<workbook/>"}),
        _xlsm(),
        b"PK\x03\x04 but not really a zip",
        b"",
        b"plain text pretending to be a PDF",
        b" %PDF-1.4 with a leading space",
    ],
    ids=[
        "pe",
        "elf",
        "script",
        "zip",
        "zip-no-content-types",
        "xlsm",
        "broken-zip",
        "empty",
        "text",
        "offset-pdf",
    ],
)
def test_disguised_or_unknown_files_are_not_recognised(data: bytes) -> None:
    assert sniff(data[:16]) is None
    assert sniff_stream(io.BytesIO(data)) is None


def test_sniff_stream_leaves_the_stream_where_it_found_it() -> None:
    for data in (TINY_PDF, _xlsx(), _zip({"a": b"b"})):
        stream = io.BytesIO(data)
        sniff_stream(stream)
        assert stream.tell() == 0


def test_sniff_stream_needs_a_seekable_stream() -> None:
    class OneShot(io.RawIOBase):
        def readable(self) -> bool:
            return True

    with pytest.raises(StorageError, match="seekable"):
        sniff_stream(OneShot())  # type: ignore[arg-type]


def test_check_upload_returns_the_sniffed_type_when_allowed() -> None:
    assert check_upload(io.BytesIO(_image("JPEG")), {PDF, JPEG}) == JPEG


def test_an_exe_named_diploma_pdf_is_refused_with_what_was_found_and_allowed() -> None:
    with pytest.raises(UnsupportedFileType) as caught:
        check_upload(io.BytesIO(PE_EXE), {PDF, JPEG, PNG})
    message = str(caught.value)
    assert "Windows 可执行文件" in message
    assert "JPG、PDF、PNG" in message
    assert caught.value.found == "Windows 可执行文件（MZ/PE）"
    assert isinstance(caught.value, StorageError)


def test_a_recognised_type_outside_the_allowed_set_is_refused() -> None:
    with pytest.raises(UnsupportedFileType, match="检测到 PNG，只允许 PDF"):
        check_upload(io.BytesIO(_image("PNG")), {PDF})


@pytest.mark.parametrize(
    ("data", "found"),
    [(ELF, "ELF 可执行文件"), (SCRIPT, "脚本"), (_zip({"a.txt": b"a"}), "ZIP 压缩包"), (b"", "空文件")],
    ids=["elf", "script", "zip", "empty"],
)
def test_the_refusal_names_what_the_bytes_really_are(data: bytes, found: str) -> None:
    with pytest.raises(UnsupportedFileType, match=found):
        check_upload(io.BytesIO(data), set(ALLOWED))


def test_check_upload_rejects_an_allowed_set_naming_types_it_cannot_detect() -> None:
    with pytest.raises(ValueError, match="text/plain"):
        check_upload(io.BytesIO(TINY_PDF), {PDF, "text/plain"})


def test_every_allowed_type_maps_to_an_extension_without_a_dot() -> None:
    assert ALLOWED == {PDF: "pdf", JPEG: "jpg", PNG: "png", XLSX: "xlsx"}
