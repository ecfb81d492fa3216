"""Small JPEG previews of uploaded images, refusing decompression bombs before any pixel is decoded.

Policy: an image with more than MAX_PIXELS pixels raises ImageTooLarge (a StorageError) rather than
returning None, because such a file is either a bomb or unusable as a scan, and the caller should
refuse the upload instead of storing it silently without a preview. A PDF, any other type, or an
image Pillow cannot decode returns None: "no thumbnail", the file itself is judged elsewhere.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from PIL import Image, ImageOps

from storage.objects.base import StorageError
from storage.objects.sniff import JPEG, PNG, sniff

# A 600 dpi A4 scan is ~35 MP and a 50 MP phone photo is accepted; Pillow's own bomb warning starts
# at ~89 MP, so everything that reaches it is over this limit anyway.
MAX_PIXELS = 64_000_000
_FORMATS = {JPEG: "JPEG", PNG: "PNG"}


class ImageTooLarge(StorageError):
    """The image's declared dimensions exceed MAX_PIXELS (a likely decompression bomb)."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            f"图片像素过大（{detail}），上限 {MAX_PIXELS // 1_000_000} 百万像素"
            f"（image too large, possible decompression bomb）"
        )


def make_thumbnail(stream: BinaryIO, max_px: int = 320) -> bytes | None:
    """JPEG bytes at most max_px on each side for a PNG/JPEG stream; None for PDFs and anything else."""
    if max_px < 1:
        raise ValueError(f"max_px must be positive, got {max_px}")
    start = stream.tell() if stream.seekable() else None
    try:
        head = stream.read(16)
        found = sniff(head)
        if found not in _FORMATS:
            return None
        if start is None:
            # Pillow needs to seek; a one-shot stream is read into a buffer (images are size-bounded uploads).
            stream = io.BytesIO(head + stream.read())
        else:
            stream.seek(start)
        return _render(stream, _FORMATS[found], max_px)
    finally:
        if start is not None:
            stream.seek(start)


def _render(stream: BinaryIO, pil_format: str, max_px: int) -> bytes | None:
    """Decode only after the header's dimensions pass the pixel limit; strip metadata (GPS) on output."""
    try:
        with Image.open(stream, formats=[pil_format]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageTooLarge(f"{width}×{height}")
            # JPEG can decode at 1/2, 1/4, 1/8 scale, which keeps memory low for big photos.
            image.draft("RGB", (max_px, max_px))
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((max_px, max_px))
            out = io.BytesIO()
            _flatten(upright).save(out, "JPEG", quality=80, optimize=True)
            return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow checks before we can when the header is absurd; report it the same way.
        raise ImageTooLarge(str(exc)) from exc
    except (OSError, SyntaxError, ValueError):
        return None


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency is composited onto white, palettes and greyscale converted."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image
