"""Attachments: uploads checked by their content, kept in the database, given back as downloads.

A file lives in the `stored_file` table, bytes and all (the README's "Files" says why): app
servers sharing one database see the same files, a backup of the database holds every file
with its record, and a record and its file commit or roll back together. A file is known by
its row id; the name it was uploaded under is kept only to be given back on download.

An upload is accepted when its extension is on the allow-list *and* its first bytes are what
that extension promises (`content`), so a renamed program or a web page named `.pdf` is
refused. A download is always an attachment, with the type determined on upload, never shown
inline: a stored file can never run as a page of the site. Callers check access before
`send_stored`; a form takes files through `UploadField`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from core.files.content import (
    ACCEPT,
    CONTENT_TYPES,
    EXCEL,
    KINDS,
    OLE_MAGIC,
    WORD,
    FileKind,
    allowed_extensions,
)
from core.files.fields import MultipleUploadField, UploadField
from core.files.models import StoredFile
from core.files.names import NAME_BYTES, clean_name, content_disposition, extension_of
from core.files.storage import (
    MAX_MB,
    MEGABYTE,
    check_upload,
    human_size,
    save_upload,
    send_stored,
    upload_limit_mb,
)

if TYPE_CHECKING:
    from flask import Flask

__all__ = [
    "ACCEPT",
    "CONTENT_TYPES",
    "EXCEL",
    "KINDS",
    "MAX_MB",
    "MEGABYTE",
    "NAME_BYTES",
    "OLE_MAGIC",
    "WORD",
    "FileKind",
    "MultipleUploadField",
    "StoredFile",
    "UploadField",
    "allowed_extensions",
    "check_upload",
    "clean_name",
    "content_disposition",
    "extension_of",
    "human_size",
    "init_app",
    "save_upload",
    "send_stored",
    "upload_limit_mb",
]


def init_app(app: Flask) -> None:
    """Describe stored files for the audit trail and add the `filesize` filter."""
    from core.audit import describe

    describe(
        StoredFile,
        _l("File"),
        name=StoredFile.name,
        fields={
            "name": _l("File name"),
            "content_type": _l("File type"),
            "size": _l("Size"),
            "sha256": _l("SHA-256 checksum"),
            "uploaded_at": _l("Uploaded at"),
            "uploaded_by_id": _l("Uploaded by"),
        },
        formats={"size": human_size},
    )
    app.add_template_filter(human_size, "filesize")
