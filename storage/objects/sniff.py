"""What an untrusted upload really is, judged by its bytes — never by its name or declared type."""

from __future__ import annotations

import unicodedata
import zipfile
from typing import BinaryIO

from storage.objects.base import StorageError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ALLOWED: dict[str, str] = {PDF: "pdf", JPEG: "jpg", PNG: "png", XLSX: "xlsx"}
"""Every type the platform accepts, mapped to the extension used when the file is served (no dot)."""

HEAD_SIZE = 16
MAX_FILENAME = 120
_ZIP_MAGIC = b"PK\x03\x04"
_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
# Named only so the refusal message can say what was found; none of these is ever accepted.
_KNOWN_BAD: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows 可执行文件（MZ/PE）"),
    (b"\x7fELF", "ELF 可执行文件"),
    (b"#!", "脚本（#!）"),
    (_ZIP_MAGIC, "ZIP 压缩包（非 xlsx 工作簿）"),
)
_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MAX_CONTENT_TYPES_XML = 256 * 1024
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
)
_WINDOWS_FORBIDDEN = set('<>:"|?*')


class UnsupportedFileType(StorageError):
    """The upload's bytes are not one of the allowed types."""

    def __init__(self, found: str, allowed: set[str]) -> None:
        self.found = found
        self.allowed = frozenset(allowed)
        names = "、".join(sorted(ALLOWED[t].upper() for t in allowed))
        super().__init__(
            f"不支持的文件类型：检测到 {found}，只允许 {names}（unsupported file type: found {found}）"
        )


def sniff(head: bytes) -> str | None:
    """Type of a file from its first bytes: PDF, JPEG or PNG; None otherwise (a ZIP needs sniff_stream)."""
    for magic, content_type in _MAGICS:
        if head.startswith(magic):
            return content_type
    return None


def sniff_stream(stream: BinaryIO) -> str | None:
    """Type of a seekable stream, opening ZIPs to tell an xlsx workbook apart; the position is restored."""
    if not stream.seekable():
        raise StorageError("文件类型检测需要可定位的流（sniffing needs a seekable stream）")
    start = stream.tell()
    try:
        head = stream.read(HEAD_SIZE)
        if head.startswith(_ZIP_MAGIC):
            stream.seek(start)
            return XLSX if _is_xlsx(stream) else None
        return sniff(head)
    finally:
        stream.seek(start)


def check_upload(stream: BinaryIO, allowed: set[str]) -> str:
    """Return the sniffed type of stream if it is in allowed, else raise UnsupportedFileType."""
    unknown = set(allowed) - ALLOWED.keys()
    if unknown:
        raise ValueError(f"allowed contains types sniffing never reports: {sorted(unknown)}")
    found = sniff_stream(stream)
    if found is None or found not in allowed:
        raise UnsupportedFileType(_describe(stream, found), allowed)
    return found


def safe_filename(name: str) -> str:
    """A display/download name with no path, control characters or leading dots; Chinese is kept."""
    # NFKC folds full-width look-alikes ("／", "．") into the ASCII they imitate before we split on them.
    text = unicodedata.normalize("NFKC", name)
    # Category C covers NUL, other controls and the bidi overrides that disguise "exe" as "pdf".
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join("_" if ch in _WINDOWS_FORBIDDEN else ch for ch in text)
    text = text.strip().lstrip(".").strip().rstrip(". ")
    if text.split(".", 1)[0].upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return _bound(text) or "file"


def _is_xlsx(stream: BinaryIO) -> bool:
    """A ZIP is a workbook only with the OOXML parts of a macro-free xlsx; only the directory is read."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= names or "xl/vbaProject.bin" in names:
                return False
            info = archive.getinfo("[Content_Types].xml")
            # Bounded so a crafted archive cannot inflate a huge "manifest" into memory.
            if info.file_size > _MAX_CONTENT_TYPES_XML:
                return False
            return _XLSX_MAIN in archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError):
        return False


def _describe(stream: BinaryIO, found: str | None) -> str:
    """Human name of what the upload turned out to be, for the refusal message."""
    if found is not None:
        return ALLOWED[found].upper()
    start = stream.tell()
    head = stream.read(HEAD_SIZE)
    stream.seek(start)
    if not head:
        return "空文件"
    for magic, label in _KNOWN_BAD:
        if head.startswith(magic):
            return label
    return "未知类型"


def _bound(text: str) -> str:
    """Cut to MAX_FILENAME characters, keeping a short extension when there is one."""
    if len(text) <= MAX_FILENAME:
        return text
    stem, dot, ext = text.rpartition(".")
    if dot and stem and len(ext) <= 16:
        return stem[: MAX_FILENAME - len(ext) - 1].rstrip(". ") + "." + ext
    return text[:MAX_FILENAME].rstrip(". ")
