"""Form fields for attachments: the chooser offers the allowed types, the help names them."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms.validators import StopValidation

from core.files.content import ACCEPT, KINDS, allowed_extensions, types_text
from core.files.names import clean_name, extension_of
from core.files.storage import upload_limit_mb


def _upload_help() -> str:
    return _(
        "PDF, Word, Excel, OFD or an image (%(extensions)s), at most %(mb)d MB.",
        extensions=allowed_extensions(),
        mb=upload_limit_mb(),
    )


def _allowed_extension(_form, field) -> None:
    """Refuse a file of a type not on the allow-list before it is read; save_upload checks
    the content."""
    uploads = field.data if isinstance(field.data, list) else [field.data]
    for upload in uploads:
        if isinstance(upload, FileStorage) and upload.filename:
            extension = extension_of(clean_name(upload.filename))
            if extension not in KINDS:
                raise StopValidation(
                    _(
                        "“%(name)s” cannot be uploaded: upload %(types)s.",
                        name=clean_name(upload.filename) or upload.filename[:60],
                        types=types_text(),
                    )
                )


def _field_options(required: bool, validators, kwargs: dict) -> tuple[list, dict]:
    checks = [FileRequired(_l("Choose a file to upload."))] if required else []
    kwargs["render_kw"] = {"accept": ACCEPT, **(kwargs.get("render_kw") or {})}
    kwargs.setdefault("description", LazyString(_upload_help))
    return [*checks, *(validators or []), _allowed_extension], kwargs


class UploadField(FileField):
    """One attachment: the chooser offers the allowed types, the help names them and the
    size limit. `required=True` (or a FileRequired among the validators) asks for a file."""

    def __init__(self, label=None, validators=None, *, required: bool = False, **kwargs):
        validators, kwargs = _field_options(required, validators, kwargs)
        super().__init__(label, validators, **kwargs)


class MultipleUploadField(MultipleFileField):
    """Several attachments at once (`data` is a list of uploads), checked as UploadField."""

    def __init__(self, label=None, validators=None, *, required: bool = False, **kwargs):
        validators, kwargs = _field_options(required, validators, kwargs)
        super().__init__(label, validators, **kwargs)
