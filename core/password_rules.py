"""The password policy as pure rules: no Flask, no database (messages live in core.passwords).

A new password must be long, must not be one of the passwords most often found in breaches
(bundled in core/data/common-passwords.txt), nor a pattern a guesser tries early (one unit
repeated, an alphabet or digit sequence, a walk along the keyboard), nor contain the person's
own username or name. The policy applies when a password is set, never at login.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Iterable
from functools import cache
from itertools import pairwise
from pathlib import Path

MIN_LENGTH = 12
#: names shorter than this are too common as substrings to refuse ("li" in "reliable")
MIN_NAME_LENGTH = 3
#: a password with at least this share of predictable steps is a sequence or a keyboard walk
PREDICTABLE_SHARE = 0.75
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"

#: what a guesser adds around a common word, stripped before looking it up
_DECORATION = string.digits + string.punctuation + string.whitespace
_SEPARATORS = str.maketrans("", "", " -_.")
#: a US keyboard: each row and how far it is shifted right, in key widths
_KEY_ROWS = (
    ("`1234567890-=", 0.0),
    ("qwertyuiop[]\\", 1.5),
    ("asdfghjkl;'", 1.75),
    ("zxcvbnm,./", 2.25),
)
_SHIFTED = str.maketrans('~!@#$%^&*()_+{}|:"<>?', "`1234567890-=[]\\;',./")


class PasswordProblem(enum.StrEnum):
    """Which rule a new password breaks."""

    TOO_SHORT = "too_short"
    CONTAINS_NAME = "contains_name"
    COMMON = "common"
    REPEATED = "repeated"
    PREDICTABLE = "predictable"


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("# "))


def is_common(password: str) -> bool:
    """Tell whether the password is a listed one, alone or with digits and punctuation around it."""
    lowered = password.lower()
    core = lowered.strip(_DECORATION)
    candidates = {lowered, core, core.translate(_SEPARATORS)}
    return not candidates.isdisjoint(common_passwords())


def is_repeated(password: str) -> bool:
    """Tell whether the password is one shorter unit said again and again ("abcabcabcabc")."""
    text = password.lower()
    return any(
        len(text) % size == 0 and text == text[:size] * (len(text) // size)
        for size in range(1, len(text) // 2 + 1)
    )


@cache
def _key_positions() -> dict[str, tuple[float, int]]:
    return {
        key: (shift + column, row)
        for row, (keys, shift) in enumerate(_KEY_ROWS)
        for column, key in enumerate(keys)
    }


def _keys_touch(a: str, b: str) -> bool:
    positions = _key_positions()
    if a not in positions or b not in positions:
        return False
    (xa, ya), (xb, yb) = positions[a], positions[b]
    return abs(ya - yb) <= 1 and abs(xa - xb) <= 1


def _next_in_series(a: str, b: str) -> bool:
    """Same character, or neighbours in the alphabet or among the digits (9 and 0 wrap)."""
    if a == b:
        return True
    if a.isdigit() and b.isdigit():
        return (int(b) - int(a)) % 10 in (1, 9)
    return a.isascii() and b.isascii() and a.isalpha() and b.isalpha() and abs(ord(a) - ord(b)) == 1


def is_predictable(password: str) -> bool:
    """Tell whether the password mostly steps through a sequence or along the keyboard."""
    text = password.lower().translate(_SHIFTED)
    steps = list(pairwise(text))
    if not steps:
        return True
    predictable = sum(1 for a, b in steps if _next_in_series(a, b) or _keys_touch(a, b))
    return predictable >= PREDICTABLE_SHARE * len(steps)


def own_names(*names: str | None) -> list[str]:
    """The parts of a person's username and name that a password must not contain."""
    parts = []
    for name in names:
        if not name:
            continue
        parts.append(name.strip())
        parts.extend(name.split())
    return sorted({part.lower() for part in parts if len(part) >= MIN_NAME_LENGTH})


def contains_name(password: str, names: Iterable[str]) -> bool:
    lowered = password.lower()
    return any(name.lower() in lowered for name in names if len(name) >= MIN_NAME_LENGTH)


def password_problem(password: str, names: Iterable[str] = ()) -> PasswordProblem | None:
    """The first rule the new password breaks, or None; `names` are the person's own names."""
    if len(password) < MIN_LENGTH:
        return PasswordProblem.TOO_SHORT
    if contains_name(password, names):
        return PasswordProblem.CONTAINS_NAME
    if is_common(password):
        return PasswordProblem.COMMON
    if is_repeated(password):
        return PasswordProblem.REPEATED
    if is_predictable(password):
        return PasswordProblem.PREDICTABLE
    return None
