"""Keeping and giving back files: the size limit, `save_upload` and `send_stored`."""

from __future__ import annotations

import hashlib

from flask import Response, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from core import settings
from core.errors import DomainError
from core.extensions import db
from core.files.content import CONTENT_TYPES, KINDS, FileKind, check_content, types_text
from core.files.models import StoredFile
from core.files.names import clean_name, content_disposition, extension_of

MEGABYTE = 1024 * 1024
#: the setting that limits an upload's size, in MB
MAX_MB = "files.max_mb"
#: room a request needs beside its file (the form's other fields, the multipart headers):
#: MAX_CONTENT_LENGTH must exceed the file limit by this much
REQUEST_ROOM = MEGABYTE
#: what a download may do in a browser: nothing (no scripts, no plugins, no requests)
DOWNLOAD_CSP = "default-src 'none'; sandbox"

settings.register(
    settings.SettingSpec(
        MAX_MB,
        20,
        _l("Largest file that can be uploaded (MB)"),
        help=_l(
            "Attachments are kept in the database; the web server's MAX_CONTENT_LENGTH must "
            "stay at least 1 MB above this."
        ),
        minimum=1,
        maximum=200,
    )
)


def upload_limit_mb() -> int:
    """The largest file that may be uploaded, in MB."""
    return int(settings.get(MAX_MB))


def _fits_the_server(values: dict, changed: str) -> None:
    """Refuse a file limit the web server would refuse first, with a page instead of a form."""
    if changed != MAX_MB:
        return
    server = current_app.config.get("MAX_CONTENT_LENGTH")
    if server and values[MAX_MB] * MEGABYTE + REQUEST_ROOM > server:
        most = max((server - REQUEST_ROOM) // MEGABYTE, 0)
        raise DomainError(
            _(
                "The web server accepts uploads of at most %(most)d MB (MAX_CONTENT_LENGTH in "
                "its configuration). Enter %(most)d or less, or have the system administrator "
                "raise that limit first.",
                most=most,
            ),
            field="value",
        )


settings.register_check(_fits_the_server)


def _read_at_most(upload: FileStorage, limit: int) -> bytes:
    """Read up to `limit` bytes from the start of the upload, never the whole of a huge one."""
    stream = upload.stream
    if getattr(stream, "seekable", lambda: False)():
        stream.seek(0)
    return stream.read(limit)


def check_upload(upload: FileStorage | None) -> tuple[str, FileKind, bytes]:
    """The upload's cleaned name, its kind and its content; DomainError when it is refused."""
    if not isinstance(upload, FileStorage) or not upload.filename:
        raise DomainError(_("Choose a file to upload."))
    name = clean_name(upload.filename)
    extension = extension_of(name)
    shown = name or upload.filename[:60]
    if not extension:
        raise DomainError(
            _(
                "“%(name)s” has no extension, so its type cannot be told. Upload %(types)s.",
                name=shown,
                types=types_text(),
            )
        )
    kind = KINDS.get(extension)
    if kind is None:
        raise DomainError(
            _(
                "Files of type .%(extension)s cannot be uploaded. Upload %(types)s.",
                extension=extension,
                types=types_text(),
            )
        )
    most = upload_limit_mb()
    data = _read_at_most(upload, most * MEGABYTE + 1)
    if not data:
        raise DomainError(
            _("“%(name)s” is empty. Choose the file again, or another one.", name=name)
        )
    if len(data) > most * MEGABYTE:
        raise DomainError(
            _(
                "“%(name)s” is larger than %(mb)d MB, the most a file may be. Reduce it (a "
                "scan at a lower resolution, say) or split it, then upload it again.",
                name=name,
                mb=most,
            )
        )
    check_content(name, extension, kind, data)
    return name, kind, data


def save_upload(upload: FileStorage | None, actor, *, field: str | None = None) -> StoredFile:
    """Check an upload and store it; raise DomainError (on `field`) when it is refused."""
    try:
        name, kind, data = check_upload(upload)
    except DomainError as error:
        if field is None:
            raise
        raise DomainError(error.message, field=field) from None
    stored = StoredFile(
        name=name,
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def send_stored(stored: StoredFile) -> Response:
    """The file as a download under its original name; the caller has checked access."""
    content_type = (
        stored.content_type if stored.content_type in CONTENT_TYPES else "application/octet-stream"
    )
    response = current_app.response_class(stored.data, mimetype=content_type)
    response.headers["Content-Disposition"] = content_disposition(stored.name, stored.id)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["Cache-Control"] = "private, no-store"
    # old Internet Explorer (still in some intranets' compatibility modes): save, never open
    response.headers["X-Download-Options"] = "noopen"
    return response


def human_size(size: int | None) -> str:
    """A size for people: 812 B, 35 KB, 4.2 MB."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < MEGABYTE:
        return f"{size / 1024:.0f} KB"
    return f"{size / MEGABYTE:.1f} MB"
