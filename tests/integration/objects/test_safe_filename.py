"""Uploaded file names are kept for display only, so they are stripped of paths and tricks."""

from __future__ import annotations

import pytest

from storage.objects import safe_filename


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("毕业证书.pdf", "毕业证书.pdf"),
        ("张三 身份证 正面.jpg", "张三 身份证 正面.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("evil.pdf\x00.exe", "evil.pdf.exe"),
        ("line\r\nbreak.pdf", "linebreak.pdf"),
        ("report\u202efdp.exe", "reportfdp.exe"),
        (".bashrc", "bashrc"),
        ("...", "file"),
        ("", "file"),
        ("/", "file"),
        ("../", "file"),
        ("  spaced.pdf  ", "spaced.pdf"),
        ("trailing.pdf. . ", "trailing.pdf"),
        ("a:b|c?.pdf", "a_b_c_.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("ｆｕｌｌ／ｗｉｄｔｈ．pdf", "width.pdf"),
    ],
)
def test_safe_filename_neutralises_paths_controls_and_leading_dots(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_long_names_are_cut_to_120_characters_keeping_the_extension() -> None:
    name = "安全生产培训合格证明" * 20 + ".pdf"
    result = safe_filename(name)
    assert len(result) == 120
    assert result.endswith(".pdf")
    assert result.startswith("安全生产培训合格证明")


def test_a_long_name_without_an_extension_is_cut_to_120_characters() -> None:
    assert safe_filename("x" * 500) == "x" * 120
