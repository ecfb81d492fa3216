"""Thumbnails of scans and photos; decompression bombs are refused before any pixel is decoded."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from storage.objects import ImageTooLarge, StorageError, make_thumbnail
from storage.objects.thumbnails import MAX_PIXELS


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width×height over a few bytes of data: what a bomb looks like."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _thumbnail_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    return image


def test_a_transparent_png_becomes_a_jpeg_at_most_320_pixels() -> None:
    png = _encode(Image.new("RGBA", (800, 400), (0, 128, 255, 128)), "PNG")
    thumb = make_thumbnail(io.BytesIO(png))
    assert thumb is not None
    image = _thumbnail_image(thumb)
    assert image.size == (320, 160)
    assert image.mode == "RGB"


def test_a_tall_jpeg_is_scaled_to_fit_max_px() -> None:
    jpeg = _encode(Image.new("RGB", (1000, 2000), (10, 200, 10)), "JPEG")
    thumb = make_thumbnail(io.BytesIO(jpeg), max_px=100)
    assert thumb is not None
    assert _thumbnail_image(thumb).size == (50, 100)


def test_a_phone_photo_is_turned_upright_and_stripped_of_exif() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display.
    exif[0x010F] = "PhoneMaker"
    jpeg = _encode(Image.new("RGB", (400, 200), "white"), "JPEG", exif=exif)
    thumb = make_thumbnail(io.BytesIO(jpeg))
    assert thumb is not None
    image = _thumbnail_image(thumb)
    assert image.size == (160, 320)
    assert len(image.getexif()) == 0


def test_a_small_image_is_not_enlarged() -> None:
    png = _encode(Image.new("L", (40, 30), 128), "PNG")
    thumb = make_thumbnail(io.BytesIO(png))
    assert thumb is not None
    assert _thumbnail_image(thumb).size == (40, 30)


def test_the_stream_position_is_restored_for_the_upload_that_follows() -> None:
    png = _encode(Image.new("RGB", (50, 50)), "PNG")
    stream = io.BytesIO(png)
    make_thumbnail(stream)
    assert stream.tell() == 0


def test_a_one_shot_stream_still_gets_a_thumbnail() -> None:
    class OneShot(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            super().__init__()
            self.inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            return self.inner.readinto(buffer)

    png = _encode(Image.new("RGB", (640, 640)), "PNG")
    thumb = make_thumbnail(OneShot(png))  # type: ignore[arg-type]
    assert thumb is not None
    assert _thumbnail_image(thumb).size == (320, 320)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n%%EOF\n", b"MZ\x90\x00", b"PK\x03\x04", b"", b"\x89PNG\r\n\x1a\n truncated"],
    ids=["pdf", "exe", "zip", "empty", "corrupt-png"],
)
def test_pdfs_other_types_and_undecodable_images_get_no_thumbnail(data: bytes) -> None:
    assert make_thumbnail(io.BytesIO(data)) is None


@pytest.mark.parametrize(
    "side",
    [100_000, 10_000, int(MAX_PIXELS**0.5) + 100],
    ids=["over-pillow-error-limit", "in-pillow-warning-band", "over-platform-limit"],
)
def test_a_png_bomb_is_refused_from_its_header_alone(side: int) -> None:
    bomb = _png_header_only(side, side)
    assert len(bomb) < 200
    with pytest.raises(ImageTooLarge) as caught:
        make_thumbnail(io.BytesIO(bomb))
    assert isinstance(caught.value, StorageError)
    assert "图片像素过大" in str(caught.value)


def test_a_png_whose_pixel_data_is_cut_short_gets_no_thumbnail() -> None:
    assert make_thumbnail(io.BytesIO(_png_header_only(100, 100))) is None


def test_max_px_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_px"):
        make_thumbnail(io.BytesIO(b""), max_px=0)
