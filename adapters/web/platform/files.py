"""Stored documents over HTTP: download, inline preview and thumbnail, each access-checked and audited."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, send_file

from adapters.services.platform import documents
from adapters.services.platform.errors import NotFound
from adapters.web.security import current_actor, login_required, wiring

bp = Blueprint("files", __name__, url_prefix="/files")
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
# Nothing a stored file contains may run as a page of ours; the PDF viewer is left out of "sandbox"
# because browsers refuse to show PDFs in a sandboxed document.
CSP_ATTACHMENT = "default-src 'none'; sandbox"
CSP_IMAGE = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
CSP_PDF = "default-src 'none'; script-src 'none'; object-src 'self'; frame-ancestors 'self'"


@bp.get("/<int:document_id>")
@login_required
def download(document_id: int) -> Any:
    return _send(document_id, purpose="download", inline=False)


@bp.get("/<int:document_id>/preview")
@login_required
def preview(document_id: int) -> Any:
    return _send(document_id, purpose="preview", inline=True)


@bp.get("/<int:document_id>/thumb")
@login_required
def thumb(document_id: int) -> Any:
    row, stream = documents.open_document(wiring().platform, wiring().objects, current_actor(), document_id,
                                          purpose="thumb")
    stream.close()  # the thumbnail is stored with the metadata; the object itself is not needed
    if not row.thumbnail:
        raise NotFound(f"文件 {document_id} 没有缩略图")
    response = Response(row.thumbnail, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=300"
    return _harden(response, CSP_IMAGE)


def _send(document_id: int, *, purpose: str, inline: bool) -> Any:
    row, stream = documents.open_document(wiring().platform, wiring().objects, current_actor(), document_id,
                                          purpose=purpose)
    inline = inline and row.content_type in INLINE_TYPES
    # send_file streams the object in blocks and closes it when the response ends; the name is given
    # as an ASCII fallback plus RFC 5987 filename*=UTF-8'' for Chinese names.
    response = send_file(stream, mimetype=row.content_type, as_attachment=not inline, download_name=row.filename,
                         conditional=False, etag=row.sha256, max_age=0)
    response.content_length = row.size
    response.headers["Cache-Control"] = "private, no-cache"
    csp = CSP_ATTACHMENT if not inline else (CSP_PDF if row.content_type == "application/pdf" else CSP_IMAGE)
    return _harden(response, csp)


def _harden(response: Response, csp: str) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = csp
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
