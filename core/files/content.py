"""What may be uploaded: the allow-list, and the checks that a file's content is what its
extension promises. Read from the bytes alone; a zip is read from its directory only."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.errors import DomainError

#: a zip holding more entries than this is not a document anyone writes by hand
MAX_ZIP_ENTRIES = 10_000


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _is_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


def _is_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n")


#: the sizes of the header after a BMP's file header, one per version of the format
BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}


def _is_bmp(data: bytes) -> bool:
    return data[:2] == b"BM" and int.from_bytes(data[14:18], "little") in BMP_HEADER_SIZES


def _is_tiff(data: bytes) -> bool:
    return data[:4] in (b"II*\x00", b"MM\x00*")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_has_stream(data: bytes, *names: str) -> bool:
    """Whether an OLE2 compound file (.doc, .xls) holds a stream or storage of these names.

    A directory entry is 128 bytes, aligned on 128 within its sector: its name in UTF-16,
    the name's length in bytes at 64, its type (1 storage, 2 stream) at 66. An installer
    (.msi) is an OLE2 file too, but holds no Word or Excel stream.
    """
    if not data.startswith(OLE_MAGIC):
        return False
    for name in names:
        encoded = (name + "\0").encode("utf-16-le")
        start = 512
        while (at := data.find(encoded, start)) != -1:
            entry = data[at : at + 128]
            length = int.from_bytes(entry[64:66], "little")
            if (
                at % 128 == 0
                and len(entry) == 128
                and length == len(encoded)
                and entry[66] in (1, 2)
            ):
                return True
            start = at + 1
    return False


def _zip_names(data: bytes) -> set[str]:
    """The entry names of a zip container, read from its directory only (nothing unpacked,
    so a zip bomb costs nothing); empty when it is not a readable zip."""
    if not data.startswith(b"PK\x03\x04"):
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, struct.error):
        return set()
    if len(infos) > MAX_ZIP_ENTRIES:
        return set()
    return {info.filename for info in infos}


#: the containers of macros: a macro-enabled workbook or document renamed to .xlsx or .docx
MACRO_PARTS = ("word/vbaProject.bin", "xl/vbaProject.bin")
#: a password-protected .docx or .xlsx is an OLE2 file holding the encrypted package
ENCRYPTED_OOXML = "EncryptedPackage"


def _office_open(folder: str) -> Callable[[bytes], bool]:
    def check(data: bytes) -> bool:
        names = _zip_names(data)
        if names:
            return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
        return _ole_has_stream(data, ENCRYPTED_OOXML)

    return check


def _is_doc(data: bytes) -> bool:
    return _ole_has_stream(data, "WordDocument")


def _is_xls(data: bytes) -> bool:
    return _ole_has_stream(data, "Workbook", "Book")


def _is_ofd(data: bytes) -> bool:
    """An OFD document (GB/T 33190): a zip container with OFD.xml at its root."""
    return any(name.lower() == "ofd.xml" for name in _zip_names(data))


@dataclass(frozen=True)
class FileKind:
    """A type that may be uploaded: its name for people, its content type and its check."""

    label: object
    content_type: str
    matches: Callable[[bytes], bool]


PDF = FileKind("PDF", "application/pdf", _is_pdf)
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = FileKind(_l("JPEG image"), "image/jpeg", _is_jpeg)
TIFF = FileKind(_l("TIFF image"), "image/tiff", _is_tiff)

#: the allow-list: extension → what its content must be
KINDS: dict[str, FileKind] = {
    "pdf": PDF,
    "doc": FileKind("Word", "application/msword", _is_doc),
    "docx": FileKind("Word", WORD, _office_open("word/")),
    "xls": FileKind("Excel", "application/vnd.ms-excel", _is_xls),
    "xlsx": FileKind("Excel", EXCEL, _office_open("xl/")),
    "ofd": FileKind("OFD", "application/ofd", _is_ofd),
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": FileKind(_l("PNG image"), "image/png", _is_png),
    "bmp": FileKind(_l("BMP image"), "image/bmp", _is_bmp),
    "tif": TIFF,
    "tiff": TIFF,
}
CONTENT_TYPES = frozenset(kind.content_type for kind in KINDS.values())
#: the file chooser's filter
ACCEPT = ",".join(f".{extension}" for extension in KINDS)


def allowed_extensions() -> str:
    """The allowed extensions, for messages: “.pdf, .doc, …”."""
    return ", ".join(f".{extension}" for extension in KINDS)


# --- programs and pages, whatever their name --------------------------------------------

PROGRAM_MAGIC = (
    b"MZ",  # Windows programs and libraries
    b"\x7fELF",  # Linux programs
    b"\xfe\xed\xfa\xce",  # macOS programs
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # macOS universal programs, Java classes
    b"#!",  # scripts
)
#: byte-order marks and white space a web page may begin with before its first tag
PAGE_LEAD = b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"


def is_program_or_page(data: bytes) -> bool:
    """Whether the content is a program, a script or markup (HTML, SVG, XML)."""
    return data.startswith(PROGRAM_MAGIC) or data[:1024].lstrip(PAGE_LEAD)[:1] == b"<"


def types_text() -> str:
    """The allowed types, for messages."""
    return _("PDF, Word, Excel, OFD or an image (%(extensions)s)", extensions=allowed_extensions())


def check_content(name: str, extension: str, kind: FileKind, data: bytes) -> None:
    """Refuse content that is not what its extension promises, naming what it is instead."""
    if kind.matches(data):
        if any(part in _zip_names(data) for part in MACRO_PARTS):
            raise DomainError(
                _(
                    "“%(name)s” contains macros, which cannot be uploaded. Save it as a plain "
                    "document or workbook without macros, then upload it again.",
                    name=name,
                )
            )
        return
    if is_program_or_page(data):
        raise DomainError(
            _(
                "“%(name)s” is a program or a web page, not a document, and cannot be "
                "uploaded whatever its name. Upload %(types)s.",
                name=name,
                types=types_text(),
            )
        )
    raise DomainError(
        _(
            "“%(name)s” is not really a %(kind)s file: its content does not match its "
            "extension .%(extension)s. Open it in the program that made it, save it as "
            "%(kind)s, then upload it again.",
            name=name,
            kind=kind.label,
            extension=extension,
        )
    )
