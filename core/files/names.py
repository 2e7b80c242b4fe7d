"""File names: the uploaded one cleaned for keeping, and the header that gives it back."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

#: a stored name's length in UTF-8 bytes: fits every file system's 255-byte names
NAME_BYTES = 240
#: characters no file system takes in a name
RESERVED = re.compile(r'[<>:"|?*]')
#: invisible characters: controls, format characters (right-to-left overrides that disguise
#: an extension, zero-width spaces), lone surrogates, line and paragraph separators
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def clean_name(raw: str | None) -> str:
    """The uploaded name without folders, invisible characters or reserved ones; Chinese
    kept; cut to NAME_BYTES in UTF-8, keeping the extension."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in INVISIBLE)
    name = RESERVED.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    budget = NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[:budget].decode("utf-8", "ignore").rstrip(" .")
    return f"{stem}{suffix}" if stem else suffix.lstrip(".")


def extension_of(name: str) -> str:
    """The name's extension, lower case, without the dot; empty when it has none."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _ascii_fallback(name: str, file_id: int | None) -> str:
    """A plain-ASCII name for old browsers that ignore `filename*`."""
    extension = extension_of(name)
    stem = name[: -len(extension) - 1] if extension else name
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._()+-]+", "_", plain).strip("._")
    if not re.search(r"[A-Za-z0-9]", plain):
        plain = f"file-{file_id}" if file_id else "file"
    return f"{plain}.{extension}" if extension else plain


def content_disposition(name: str, file_id: int | None = None) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987)."""
    return (
        f'attachment; filename="{_ascii_fallback(name, file_id)}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
