"""Every user-visible string has a Chinese translation with the same placeholders."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).parents[2] / "core/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def messages():
    with CATALOG.open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def test_every_message_is_translated():
    missing = [m.id for m in messages() if not m.string or m.fuzzy]
    assert missing == []


def test_translations_keep_their_placeholders():
    for message in messages():
        if isinstance(message.id, tuple):  # a plural: each form keeps the plural's placeholders
            expected = set(PLACEHOLDER.findall(message.id[-1]))
            for form in message.string:
                assert set(PLACEHOLDER.findall(form)) == expected, message.id
            continue
        assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
            PLACEHOLDER.findall(message.string)
        ), message.id


def visible_folder(path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


def test_the_catalog_covers_the_code():
    """`make extract-messages` was run after the last string was added."""
    from babel.messages.extract import extract_from_dir

    root = CATALOG.parents[4]
    known = {m.id for m in messages()}
    method_map = [
        ("core/**.py", "python"),
        ("advisers/**.py", "python"),
        ("meetings/**.py", "python"),
        ("consultations/**.py", "python"),
        ("evaluation/**.py", "python"),
        ("reports/**.py", "python"),
        ("cases/**.py", "python"),
        ("demo/**.py", "python"),
        ("templates/**.html", "jinja2"),
    ]
    # a template the extractor cannot parse must fail here, not drop its strings silently
    options = {"templates/**.html": {"extensions": "jinja2.ext.do", "silent": "false"}}
    keywords = {"_": None, "_l": None, "N_": None, "gettext": None, "lazy_gettext": None}
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(root),
            method_map,
            options_map=options,
            keywords=keywords,
            directory_filter=visible_folder,
        )
        if isinstance(message, str)
    }
    assert len(found) > 250
    assert found - known == set()
