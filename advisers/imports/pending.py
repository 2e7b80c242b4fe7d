"""Uploaded rosters kept between the import's preview and the office's confirmation.

The preview keeps the file under `instance/uploads/imports/<user id>/<token>.xlsx`, so the
confirmation carries only the token and the file is not uploaded twice. Beside it a state file
holds the fingerprint of the changes the preview showed; its suffix is the state: `open`,
`claimed` by a confirmation whose transaction has not ended, or `done`. A file is its user's
own (the folder is theirs) and expires an hour after the preview; each new preview purges the
expired ones and keeps at most a few per user.

A confirmation claims the file by renaming its state, which only one request can do; when the
transaction commits the file is done, when it rolls back the file is open again. So a
confirmation sent twice imports once.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event

from core.errors import DomainError
from core.extensions import db

EXPIRY_MINUTES = 60
#: the largest file kept: the upload limit of the whole site, far above a 2,000-row roster
MAX_BYTES = 5 * 1024 * 1024
#: previews a user may have open at once; a new one drops the oldest
MAX_OPEN_PER_USER = 5
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
OPEN, CLAIMED, DONE = ".open", ".claimed", ".done"


class PreviewGone(DomainError):
    """The token names no preview of this user that is still kept."""

    code = "import_preview_gone"

    def __init__(self):
        super().__init__(
            _(
                "This import preview has expired or does not exist (previews are kept for "
                "%(n)d minutes). Upload the file again.",
                n=EXPIRY_MINUTES,
            )
        )


class AlreadyConfirmed(DomainError):
    """The preview was confirmed already: its import is done or under way."""

    code = "import_confirmed"

    def __init__(self):
        super().__init__(_("This import was confirmed already; it is not imported twice."))


@dataclass(frozen=True)
class Pending:
    """A kept upload: whose it is, its token, its content and the preview's fingerprint."""

    user_id: int
    token: str
    data: bytes
    digest: str


def _root() -> Path:
    return Path(current_app.instance_path) / "uploads" / "imports"


def _folder(user_id: int) -> Path:
    return _root() / str(int(user_id))


def _expired(path: Path, now: float) -> bool:
    """Whether the file is older than the expiry; FileNotFoundError when it is gone."""
    return path.stat().st_mtime < now - EXPIRY_MINUTES * 60


def _unlink(path: Path) -> None:
    path.unlink(missing_ok=True)


def purge() -> int:
    """Delete every kept file older than the expiry; return how many."""
    now, removed = time.time(), 0
    for path in _root().glob("*/*"):
        try:
            if _expired(path, now):
                _unlink(path)
                removed += 1
        except FileNotFoundError:
            continue  # removed meanwhile by another request
    return removed


def _write(path: Path, content: bytes) -> None:
    """Write a file whole or not at all."""
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(content)
    os.replace(partial, path)


def _age(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _drop_oldest_open(folder: Path) -> None:
    previews = sorted(folder.glob("*" + OPEN), key=_age)
    for state in previews[: max(len(previews) - MAX_OPEN_PER_USER + 1, 0)]:
        _unlink(state)
        _unlink(state.with_suffix(".xlsx"))


def read_upload(upload) -> bytes:
    """The uploaded workbook's bytes, reading no more than the limit allows."""
    data = upload.read(MAX_BYTES + 1)
    check_size(data)
    return data


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise DomainError(
            _("This file is larger than %(mb)d MB.", mb=MAX_BYTES // (1024 * 1024)), field="file"
        )


def keep(user_id: int, data: bytes, digest: str) -> str:
    """Keep an uploaded file for its user's confirmation; return its token."""
    check_size(data)
    purge()
    folder = _folder(user_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _drop_oldest_open(folder)
    token = secrets.token_urlsafe(24)
    _write(folder / f"{token}.xlsx", data)
    _write(folder / f"{token}{OPEN}", digest.encode())
    return token


def load(user_id: int, token: str) -> Pending:
    """The user's open preview of this token; PreviewGone or AlreadyConfirmed otherwise."""
    if not TOKEN.match(token or ""):
        raise PreviewGone()
    folder, now = _folder(user_id), time.time()
    try:
        for used in (CLAIMED, DONE):
            if (folder / f"{token}{used}").exists():
                raise AlreadyConfirmed()
        state = folder / f"{token}{OPEN}"
        if _expired(state, now):
            _unlink(state)
            raise PreviewGone()
        return Pending(user_id, token, (folder / f"{token}.xlsx").read_bytes(), state.read_text())
    except FileNotFoundError:
        raise PreviewGone() from None


def replace_digest(pending: Pending, digest: str) -> None:
    """Keep the fingerprint of a newer preview of the same file."""
    _write(_folder(pending.user_id) / f"{pending.token}{OPEN}", digest.encode())


def claim(pending: Pending) -> None:
    """Take the preview for this request's transaction: done if it commits, open again if not.

    Only one request can rename the open state away, so only one confirmation proceeds.
    """
    folder = _folder(pending.user_id)
    try:
        os.rename(folder / f"{pending.token}{OPEN}", folder / f"{pending.token}{CLAIMED}")
    except FileNotFoundError:
        raise AlreadyConfirmed() from None
    _when_transaction_ends(lambda committed: _settle(folder, pending.token, committed))


def _settle(folder: Path, token: str, committed: bool) -> None:
    claimed = folder / f"{token}{CLAIMED}"
    if committed:
        os.replace(claimed, folder / f"{token}{DONE}")
        _unlink(folder / f"{token}.xlsx")
    else:
        os.replace(claimed, folder / f"{token}{OPEN}")


def _when_transaction_ends(callback) -> None:
    """Call `callback(committed)` once, when the session's current transaction ends."""
    session = db.session()
    outcome = {"committed": False, "ended": False}

    def committed(_session):
        outcome["committed"] = True

    def ended(_session, transaction):
        if transaction.parent is None and not outcome["ended"]:
            outcome["ended"] = True
            callback(outcome["committed"])

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_transaction_end", ended)
