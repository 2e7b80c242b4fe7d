"""Every audited model reads in words: each package describes its records for the trail."""

import re

from core import audit
from core.extensions import db

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def audited_models() -> list[type]:
    return [
        mapper.class_
        for mapper in db.Model.registry.mappers
        if getattr(mapper.class_, "__audited__", False)
    ]


def shown_fields(model) -> set[str]:
    hidden = set(model.__audit_ignore__) | set(model.__audit_secret__)
    return {attr.key for attr in db.inspect(model).column_attrs} - hidden


def test_every_audited_model_is_described():
    assert {m.__name__ for m in audited_models()} <= set(audit.TYPES)


def test_every_field_a_reader_sees_has_a_label():
    missing = [
        f"{model.__name__}.{key}"
        for model in audited_models()
        for key in shown_fields(model) - audit.TYPES[model.__name__].quiet
        if audit.TYPES[model.__name__].field_label(key) == key
    ]
    assert missing == []


def test_every_masked_column_has_a_sentence():
    missing = [
        f"{model.__name__}.{key}"
        for model in audited_models()
        for key in model.__audit_secret__
        if key not in audit.TYPES[model.__name__].secrets
    ]
    assert missing == []


def test_sentences_name_only_fields_the_record_has(app):
    for described in audit.TYPES.values():
        known = shown_fields(described.model) | {"record"}
        templates = [*described.phrases.values(), *described.transitions.values()]
        for template in templates:
            named = set(PLACEHOLDER.findall(str(template)))
            assert named <= known, (described.name, str(template))


def test_every_records_page_is_a_page_of_the_app(app):
    for described in audit.TYPES.values():
        if described.page is not None:
            assert described.page.endpoint in app.view_functions, described.name
            if described.page.field != "id":
                assert described.reference(described.page.field) is not None, described.name
