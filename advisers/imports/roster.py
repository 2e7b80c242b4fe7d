"""What importing a roster does to each row: match an adviser, work out the changes, apply.

A row with the record ID of an adviser, or else with the licence number of one, updates that
adviser; any other row creates one; a row with a post and a term start opens that term unless
the adviser holds it already. `apply_roster` runs every row through the services the edit and
appointment forms use (versions, audit and the panel's limits apply) in the request's
transaction, and returns what each row did with every problem found. The preview rolls that
transaction back; the confirmation commits it, but only when nothing is wrong and the changes
are the ones the preview showed (their fingerprint is the same). One bad row: nothing is
written.
"""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from advisers import services
from advisers.exports import SPECIALTY_JOIN
from advisers.imports.outcome import Action, Change, Outcome, RowOutcome
from advisers.imports.reading import ADVISER_KEYS, REQUIRED_KEYS, Row, read_roster
from advisers.models import Adviser, Category, Gender, Post, Specialty
from core.errors import DomainError, Problem
from core.extensions import db

ENUMS = {"gender": Gender, "category": Category}


class ImportRejected(DomainError):
    """The workbook had bad rows; nothing was imported. Each problem names its row."""

    code = "import_rejected"

    def __init__(self, outcome: Outcome):
        super().__init__(problems=outcome.errors)
        self.outcome = outcome
        self.summary = _(
            "The file was not imported: %(n)d problem(s) found.", n=len(outcome.errors)
        )


class PreviewChanged(DomainError):
    """The records changed after the preview: the changes now differ from those shown."""

    code = "import_preview_changed"

    def __init__(self, outcome: Outcome):
        super().__init__(
            _(
                "The records changed after the preview, so the import would now change other "
                "things. Nothing was imported: check the changes below and confirm again."
            )
        )
        self.outcome = outcome


# --- working out the changes ---------------------------------------------------------


def _advisers_where(condition) -> list[Adviser]:
    return list(
        db.session.scalars(
            select(Adviser)
            .where(condition)
            .options(selectinload(Adviser.specialties), selectinload(Adviser.terms))
        )
    )


def _match(rows: list[Row]) -> tuple[dict[int, Adviser | None], list[Problem]]:
    """The adviser each row updates, by record ID or else licence number; None: a new one."""
    ids = {row.record_id for row in rows if row.record_id}
    licences = {row.licence_no for row in rows if not row.record_id and row.licence_no}
    by_id = {a.id: a for a in _advisers_where(Adviser.id.in_(ids))} if ids else {}
    by_licence = (
        {a.licence_no: a for a in _advisers_where(Adviser.licence_no.in_(licences))}
        if licences
        else {}
    )
    matched, errors, first_row = {}, [], {}
    for row in rows:
        if row.record_id:
            adviser = by_id.get(row.record_id)
            if adviser is None:
                errors.append(
                    Problem(
                        "id", _("No adviser has record ID %(id)d.", id=row.record_id), row.number
                    )
                )
        else:
            adviser = by_licence.get(row.licence_no) if row.licence_no else None
        if adviser is not None and adviser.id in first_row:
            errors.append(
                Problem(
                    "id" if row.record_id else "licence_no",
                    _("Same adviser as row %(n)d.", n=first_row[adviser.id]),
                    row.number,
                )
            )
        elif adviser is not None:
            first_row[adviser.id] = row.number
        matched[row.number] = adviser
    return matched, errors


def _duplicate_licences(rows: list[Row]) -> list[Problem]:
    seen, errors = {}, []
    for row in rows:
        licence = row.licence_no
        if licence and licence in seen:
            errors.append(
                Problem(
                    "licence_no",
                    _("Same licence number as row %(n)d.", n=seen[licence]),
                    row.number,
                )
            )
        seen.setdefault(licence, row.number)
    return errors


def _shown(key: str, code: str, specialty_names: dict[int, str]) -> str:
    if not code:
        return ""
    if key in ENUMS:
        return ENUMS[key](code).label
    if key == "specialties":
        return SPECIALTY_JOIN.join(specialty_names.get(int(i), "?") for i in code.split(","))
    return code


def _specialty_code(ids) -> str:
    return ",".join(str(i) for i in sorted(ids))


def _current(adviser: Adviser, key: str) -> str:
    value = getattr(adviser, key)
    return value.value if key in ENUMS else (value or "")


def _changes(row: Row, adviser: Adviser, specialty_names: dict[int, str]) -> list[Change]:
    pairs = [(key, _current(adviser, key), row.fields[key] or "") for key in row.fields]
    if row.specialty_ids is not None:
        current_ids = [s.id for s in adviser.specialties]
        pairs.append(
            ("specialties", _specialty_code(current_ids), _specialty_code(row.specialty_ids))
        )
    return [
        Change(
            key,
            before,
            after,
            _shown(key, before, specialty_names),
            _shown(key, after, specialty_names),
        )
        for key, before, after in pairs
        if before != after
    ]


def _term_problems(row: Row, adviser: Adviser | None) -> tuple[bool, list[Problem]]:
    """Whether the row opens a term, and why it cannot change the term the adviser holds."""
    if not row.post or not row.start_on:
        return False, []
    held = next((t for t in adviser.terms if t.start_on == row.start_on), None) if adviser else None
    if held is None:
        return True, []
    day, problems = row.start_on.isoformat(), []
    if held.post.value != row.post:
        problems.append(
            Problem(
                "post",
                _(
                    "The term from %(day)s is held as %(post)s; an import does not change the "
                    "post of a term.",
                    day=day,
                    post=held.post.label,
                ),
                row.number,
            )
        )
    if row.letter_no and row.letter_no != held.letter_no:
        problems.append(
            Problem(
                "letter_no",
                _(
                    "The term from %(day)s has letter number %(no)s; a letter number never "
                    "changes.",
                    day=day,
                    no=held.letter_no,
                ),
                row.number,
            )
        )
    return False, problems


def _missing_columns(row: Row, columns: frozenset[str]) -> list[Problem]:
    """A new adviser needs the columns of every required field."""
    return [
        Problem(key, _("A new adviser needs this column; add it to the file."), row.number)
        for key in REQUIRED_KEYS
        if key not in columns
    ]


def _plan_row(
    row: Row,
    adviser: Adviser | None,
    columns: frozenset[str],
    specialty_names: dict[int, str],
    errors: list[Problem],
) -> RowOutcome:
    """What the row does, given the problems found in its cells (their columns stay as they
    are: a wrong value is no change)."""
    opens_term, term_errors = _term_problems(row, adviser)
    errors = errors + term_errors
    new_term = (row.post, row.start_on.isoformat(), row.letter_no) if opens_term else None
    wrong = {problem.field for problem in errors}
    if adviser is None:
        changes = [
            Change(key, "", code or "", "", _shown(key, code or "", specialty_names))
            for key, code in row.fields.items()
        ]
        return RowOutcome(
            row.number,
            row.fields.get("name") or "",
            Action.NEW,
            changes=changes,
            new_term=new_term,
            errors=errors + _missing_columns(row, columns),
        )
    changes = [c for c in _changes(row, adviser, specialty_names) if c.column not in wrong]
    return RowOutcome(
        row.number,
        row.fields.get("name") or adviser.name,
        Action.UPDATE if changes or new_term else Action.UNCHANGED,
        adviser_id=adviser.id,
        version=adviser.version,
        changes=changes,
        new_term=new_term,
        errors=errors,
    )


# --- applying them ---------------------------------------------------------------------


def _specialty_ids(row: Row, adviser: Adviser | None) -> list[int]:
    """The specialties the row names, or the adviser's own when the file has no such column."""
    if row.specialty_ids is not None or adviser is None:
        return row.specialty_ids or []
    return [s.id for s in adviser.specialties]


def _apply_row(actor, row: Row, adviser: Adviser | None, outcome: RowOutcome) -> None:
    """Write one row through the services the forms use."""
    if adviser is None or outcome.changes:
        adviser = services.save_adviser(
            actor,
            adviser,
            version=adviser.version if adviser else None,
            specialty_ids=_specialty_ids(row, adviser),
            **{c.column: c.after for c in outcome.changes if c.column in ADVISER_KEYS},
        )
    if outcome.new_term:
        services.open_term(
            actor,
            adviser,
            post=Post(row.post),
            start_on=row.start_on,
            letter_no=row.letter_no or None,
        )


def apply_roster(actor, data: bytes) -> Outcome:
    """Apply every row of the workbook in this transaction and say what each row did.

    Nothing is applied when a cell is wrong; otherwise each row is applied, and what a service
    refuses becomes that row's problem. The caller commits only an outcome without problems;
    a preview rolls back.
    """
    sheet = read_roster(data)
    matched, match_errors = _match(sheet.rows)
    by_row: dict[int, list[Problem]] = {}
    for problem in sheet.errors + match_errors + _duplicate_licences(sheet.rows):
        by_row.setdefault(problem.row, []).append(problem)
    locale = str(get_locale())
    names = {s.id: s.label(locale) for s in db.session.scalars(select(Specialty))}
    result = Outcome(
        [
            _plan_row(row, matched[row.number], sheet.columns, names, by_row.get(row.number, []))
            for row in sheet.rows
        ]
    )
    if result.errors:
        return result
    for row, outcome in zip(sheet.rows, result.rows, strict=True):
        try:
            _apply_row(actor, row, matched[row.number], outcome)
        except DomainError as error:
            outcome.errors += [Problem(p.field, p.message, row.number) for p in error.problems]
    return result


def confirm_roster(actor, data: bytes, digest: str) -> Outcome:
    """Import the workbook the preview showed: refused on any problem, or if the changes now
    differ from the preview's (`digest`)."""
    outcome = apply_roster(actor, data)
    if outcome.errors:
        raise ImportRejected(outcome)
    if outcome.digest != digest:
        raise PreviewChanged(outcome)
    return outcome
