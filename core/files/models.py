"""The stored file: one row per upload, its bytes in the row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import Audited, UTCDateTime, utcnow


class StoredFile(Audited, db.Model):
    """An uploaded file: its checked content and the name it was uploaded under."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the name as uploaded (cleaned of paths and control characters), given back on download
    name: Mapped[str] = mapped_column(String(255))
    #: the type determined from the content and the extension on upload, never the browser's
    content_type: Mapped[str] = mapped_column(String(100))
    #: in bytes
    size: Mapped[int]
    #: SHA-256 of the content, in hex
    sha256: Mapped[str] = mapped_column(String(64))
    #: the content; loaded only when read, never by a list
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    #: the bytes never go into the audit trail; the checksum tells one content from another
    __audit_ignore__ = ("data",)

    def __repr__(self) -> str:
        return f"<StoredFile {self.id} {self.name!r}>"
