"""Pages of the panel's meetings: planning, leave, attendance, dismissal, report, calendar."""

from __future__ import annotations

import secrets
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from advisers import exports
from advisers import queries as panel_queries
from advisers.meetings import evaluation, ical, queries, services
from advisers.meetings.forms import (
    AttendanceForm,
    CancelForm,
    CandidateDecisionForm,
    LeaveDecisionForm,
    LeaveForm,
    MeetingForm,
    MinutesForm,
    RuleForm,
    TopicForm,
)
from advisers.meetings.models import (
    DismissalCandidate,
    Invitation,
    LeaveRequest,
    MarkLabel,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from core.auth import ALL_ROLES, READERS, WRITERS, public, roles_required
from core.errors import DomainError
from core.extensions import db
from core.flow import render_form, submit
from core.i18n import TIMEZONE, today
from core.listing import apply_sort, int_arg, page_number
from core.models import Role, User, utcnow

bp = Blueprint("meetings", __name__)

OVERSEERS = (Role.ADMIN, Role.OFFICE, Role.VIEWER)


def _meeting_or_404(meeting_id: int) -> Meeting:
    meeting = queries.meeting_detail(meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _visible_meeting(meeting_id: int) -> Meeting:
    """Staff see every meeting; an adviser sees the meetings they are invited to."""
    meeting = _meeting_or_404(meeting_id)
    if current_user.role == Role.ADVISER and not any(
        i.adviser.user_id == current_user.id for i in meeting.invitations
    ):
        abort(403)
    return meeting


@bp.route("/meetings")
@roles_required(*READERS)
def meetings():
    status = request.args.get("status", "")
    stmt, sort = apply_sort(
        queries.meetings_statement(status, int_arg("year")), queries.MEETING_SORTS, "-when"
    )
    page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "meetings/meetings.html",
        page=page,
        sort=sort,
        status=status,
        year=int_arg("year"),
        statuses=MeetingStatus,
        pending=queries.pending_leave() if current_user.role in WRITERS else [],
    )


def _local(value):
    return value.replace(tzinfo=TIMEZONE) if value is not None else None


def _meeting_fields(form: MeetingForm) -> dict:
    return {
        "kind": MeetingKind(form.kind.data),
        "title": form.title.data,
        "starts_at": _local(form.starts_at.data),
        "ends_at": _local(form.ends_at.data),
        "place": form.place.data,
        "agenda": form.agenda.data or "",
        "convened_by": form.convened_by.data or "",
    }


def _invitee_choices(day: date, meeting: Meeting | None):
    people = {a.id: a for a in services.advisers_serving_on(day)}
    if meeting is not None:
        people.update({i.adviser_id: i.adviser for i in meeting.invitations})
    return sorted(((a.id, a.name) for a in people.values()), key=lambda c: c[1])


@bp.route("/meetings/new", methods=["GET", "POST"], defaults={"meeting_id": None})
@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit_meeting(meeting_id: int | None):
    meeting = _meeting_or_404(meeting_id) if meeting_id else None
    form = MeetingForm(obj=meeting)
    if request.method == "GET":
        _prefill(form, meeting)
    else:
        day = form.starts_at.data.date() if form.starts_at.data else today()
        form.invitees.choices = _invitee_choices(day, meeting)
    response = submit(
        form,
        lambda: _save_meeting(meeting, form),
        lambda saved: _("Meeting saved; %(n)d invitee(s).", n=len(saved.invitations)),
        lambda saved: url_for("meetings.meeting", meeting_id=saved.id),
    )
    return response or render_form("meetings/meeting_form.html", form=form, meeting=meeting)


def _prefill(form: MeetingForm, meeting: Meeting | None) -> None:
    """Show a meeting's times in China time; a new meeting invites everyone serving."""
    if meeting is None:
        form.invitees.choices = _invitee_choices(today(), None)
        form.invitees.data = [value for value, _label in form.invitees.choices]
        return
    form.starts_at.data = meeting.starts_at.astimezone(TIMEZONE).replace(tzinfo=None)
    form.ends_at.data = meeting.ends_at.astimezone(TIMEZONE).replace(tzinfo=None)
    form.invitees.choices = _invitee_choices(meeting.day, meeting)
    form.invitees.data = [i.adviser_id for i in meeting.invitations]


def _save_meeting(meeting: Meeting | None, form: MeetingForm) -> Meeting:
    fields, invitees = _meeting_fields(form), form.invitees.data or []
    if meeting is None:
        return services.plan_meeting(current_user, invitee_ids=invitees, **fields)
    return services.update_meeting(
        current_user, meeting, version=form.version.data, invitee_ids=invitees, **fields
    )


def _meeting_page(record: Meeting, status: int = 200, **forms):
    """The meeting's page; a refused minutes or topic form comes back with its errors."""
    forms.setdefault("minutes_form", MinutesForm(formdata=None, minutes=record.minutes))
    forms.setdefault("topic_form", TopicForm(formdata=None))
    page = render_template(
        "meetings/meeting.html",
        meeting=record,
        invitations=sorted(record.invitations, key=lambda i: i.adviser.name),
        can_edit=current_user.role in WRITERS,
        now_started=record.starts_at <= utcnow(),
        **forms,
    )
    return page, status


@bp.route("/meetings/<int:meeting_id>")
@roles_required(*READERS, Role.ADVISER)
def meeting(meeting_id: int):
    return _meeting_page(_visible_meeting(meeting_id))


@bp.route("/meetings/<int:meeting_id>/notice")
@roles_required(*READERS, Role.ADVISER)
def notice(meeting_id: int):
    record = _visible_meeting(meeting_id)
    return render_template(
        "meetings/notice.html",
        meeting=record,
        invitations=sorted(record.invitations, key=lambda i: i.adviser.name),
    )


def _back_to(meeting: Meeting) -> str:
    return url_for("meetings.meeting", meeting_id=meeting.id)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@roles_required(*WRITERS)
def cancel(meeting_id: int):
    record = _meeting_or_404(meeting_id)
    form = CancelForm()
    response = submit(
        form,
        lambda: services.cancel_meeting(current_user, record, reason=form.reason.data),
        _("The meeting is cancelled; the invitees have been told."),
        _back_to(record),
    )
    return response or render_form(
        "meetings/step_form.html",
        form=form,
        meeting=record,
        title=_("Cancel %(title)s", title=record.title),
    )


@bp.route("/meetings/<int:meeting_id>/hold", methods=["POST"])
@roles_required(*WRITERS)
def hold(meeting_id: int):
    record = _meeting_or_404(meeting_id)
    form = MinutesForm()
    response = submit(
        form,
        lambda: services.hold_meeting(current_user, record, minutes=form.minutes.data or ""),
        _("The meeting is recorded as held; now record the attendance."),
        url_for("meetings.attendance", meeting_id=record.id),
    )
    return response or _meeting_page(record, 400, minutes_form=form)


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["POST"])
@roles_required(*WRITERS)
def minutes(meeting_id: int):
    record = _meeting_or_404(meeting_id)
    form = MinutesForm()
    response = submit(
        form,
        lambda: services.save_minutes(current_user, record, minutes=form.minutes.data or ""),
        _("Minutes saved."),
        _back_to(record),
    )
    return response or _meeting_page(record, 400, minutes_form=form)


@bp.route("/meetings/<int:meeting_id>/topics", methods=["POST"])
@roles_required(*WRITERS)
def add_topic(meeting_id: int):
    record = _meeting_or_404(meeting_id)
    form = TopicForm()
    response = submit(
        form,
        lambda: services.add_topic(
            current_user, record, title=form.title.data, opinion=form.opinion.data or ""
        ),
        _("Topic added."),
        _back_to(record),
    )
    return response or _meeting_page(record, 400, topic_form=form)


def _posted_marks(meeting: Meeting) -> dict[int, tuple[str, str]]:
    marks = {}
    for key, value in request.form.items():
        if key.startswith("mark-"):
            invitation_id = key.removeprefix("mark-")
            if not invitation_id.isdigit():
                raise DomainError(_("Only the meeting's invitees can be recorded."))
            reason = request.form.get(f"reason-{invitation_id}", "")[:2000]
            marks[int(invitation_id)] = (value, reason)
    if not marks:
        raise DomainError(_("Choose present, excused or absent for the invitees."))
    return marks


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@roles_required(*WRITERS)
def attendance(meeting_id: int):
    record = _meeting_or_404(meeting_id)
    form = AttendanceForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            changed = services.record_attendance(current_user, record, _posted_marks(record))
        except DomainError as error:
            db.session.rollback()
            if error.field:
                errors[error.field] = error.message
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Attendance saved: %(n)d change(s).", n=len(changed)), "success")
            return redirect(_back_to(record))
    return render_form(
        "meetings/attendance.html",
        form=form,
        meeting=_meeting_or_404(meeting_id),
        errors=errors,
        marks=MarkLabel,
        posted=request.form,
    )


@bp.route("/invitations/<int:invitation_id>/leave", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
def request_leave(invitation_id: int):
    invitation = db.get_or_404(Invitation, invitation_id)
    if invitation.adviser.user_id != current_user.id:
        abort(403)
    form = LeaveForm()
    response = submit(
        form,
        lambda: services.request_leave(current_user, invitation, reason=form.reason.data),
        _("Your request for leave has been sent to the office."),
        url_for("meetings.my_meetings"),
    )
    return response or render_form(
        "meetings/step_form.html",
        form=form,
        meeting=invitation.meeting,
        title=_("Ask for leave from %(title)s", title=invitation.meeting.title),
    )


@bp.route("/leave/<int:leave_id>/decide", methods=["GET", "POST"])
@roles_required(*WRITERS)
def decide_leave(leave_id: int):
    leave = db.get_or_404(LeaveRequest, leave_id)
    form = LeaveDecisionForm()
    meeting = leave.invitation.meeting
    response = submit(
        form,
        lambda: services.decide_leave(
            current_user,
            leave,
            approve=form.decision.data == "approve",
            answer=form.answer.data or "",
        ),
        _("The answer has been sent to the adviser."),
        _back_to(meeting),
    )
    return response or render_form(
        "meetings/step_form.html",
        form=form,
        meeting=meeting,
        leave=leave,
        title=_("Leave request of %(name)s", name=leave.invitation.adviser.name),
    )


@bp.route("/me/meetings")
@roles_required(Role.ADVISER)
def my_meetings():
    adviser = panel_queries.adviser_for_user(current_user.id)
    if adviser is None:
        return render_template("advisers/not_linked.html")
    return render_template(
        "meetings/my_meetings.html", adviser=adviser, record=queries.own_record(adviser, today())
    )


@bp.route("/dismissals")
@roles_required(*OVERSEERS)
def candidates():
    status = request.args.get("status", "open")
    return render_template(
        "meetings/candidates.html",
        items=queries.candidates(status),
        status=status,
        rule=evaluation.current_rule_version(),
    )


@bp.route("/dismissals/<int:candidate_id>", methods=["GET", "POST"])
@roles_required(*WRITERS)
def decide_candidate(candidate_id: int):
    candidate = db.get_or_404(DismissalCandidate, candidate_id)
    form = CandidateDecisionForm()

    def decide():
        if form.decision.data == "dismiss":
            return services.dismiss_candidate(current_user, candidate, reason=form.note.data)
        return services.waive_candidate(current_user, candidate, reason=form.note.data)

    response = submit(form, decide, _("Decision recorded."), url_for("meetings.candidates"))
    if response and form.decision.data == "dismiss":
        summary = panel_queries.panel_summary(today())
        if summary.members < summary.limits.min_members:
            flash(
                _(
                    "Only %(n)d serving members remain; the plan requires at least %(min)d.",
                    n=summary.members,
                    min=summary.limits.min_members,
                ),
                "warning",
            )
    return response or render_form("meetings/candidate.html", form=form, candidate=candidate)


def _rule_page(form: RuleForm):
    return render_form(
        "meetings/rule.html",
        form=form,
        versions=queries.rule_versions(),
        can_edit=current_user.role == Role.ADMIN,
    )


@bp.route("/dismissals/rule")
@roles_required(*OVERSEERS)
def rule():
    current = evaluation.current_rule_version()
    db.session.commit()  # the defaults become version 1 the first time anyone looks
    names = (*services.RULE_LIMITS, "min_rate")
    return _rule_page(RuleForm(data={name: getattr(current, name) for name in names}))


@bp.route("/dismissals/rule", methods=["POST"])
@roles_required(Role.ADMIN)
def change_rule():
    form = RuleForm()
    response = submit(
        form,
        lambda: services.change_dismissal_rule(
            current_user, **{f.name: f.data for f in form if f.name != "csrf_token"}
        ),
        _("The rule has a new version; it applies from the next evaluation."),
        url_for("meetings.rule"),
    )
    return response or _rule_page(form)


def _report_period() -> tuple[int, int | None]:
    year = int_arg("year") or today().year
    quarter = int_arg("quarter")
    return (
        year if 2000 <= year <= 2100 else today().year,
        quarter if quarter in (1, 2, 3, 4) else None,
    )


@bp.route("/reports/attendance")
@roles_required(*READERS)
def report():
    year, quarter = _report_period()
    first, last = queries.period_bounds(year, quarter)
    sort = request.args.get("sort", "name")
    data = queries.attendance_report(first, last, sort)
    return render_template(
        "meetings/report.html", report=data, year=year, quarter=quarter, sort=sort
    )


def _report_table(data: queries.AttendanceReport) -> tuple[list[str], list[list]]:
    header = [
        _("Adviser"),
        *(f"{m.day.isoformat()} {m.title}" for m in data.meetings),
        _("Present"),
        _("Excused"),
        _("Absent"),
        _("Attendance rate (%)"),
    ]
    labels = {m.value: str(m.label) for m in MarkLabel}
    rows = [
        [
            row.adviser.name,
            *(labels.get(row.marks.get(m.id, ""), "—") for m in data.meetings),
            str(row.count("present")),
            str(row.count("excused")),
            str(row.count("absent")),
            "" if row.rate is None else str(row.rate),
        ]
        for row in data.rows
    ]
    return header, rows


@bp.route("/reports/attendance.<any(csv, xlsx):fmt>")
@roles_required(*READERS)
def report_export(fmt: str):
    year, quarter = _report_period()
    first, last = queries.period_bounds(year, quarter)
    header, rows = _report_table(queries.attendance_report(first, last))
    stem = f"attendance-{year}{f'-q{quarter}' if quarter else ''}"
    return exports.download(header, rows, fmt, stem, sheet="Attendance")


@bp.route("/account/calendar")
@roles_required(*ALL_ROLES)
def calendar():
    url = url_for("meetings.calendar_feed", token=current_user.calendar_token, _external=True)
    return render_template("meetings/calendar.html", feed_url=url, form=AttendanceForm(None))


@bp.route("/account/calendar/reset", methods=["POST"])
@roles_required(*ALL_ROLES)
def reset_calendar():
    if not AttendanceForm().validate_on_submit():
        abort(400)
    current_user.calendar_token = secrets.token_urlsafe(24)
    db.session.commit()
    flash(_("Your calendar address has changed; the old one no longer works."), "success")
    return redirect(url_for("meetings.calendar"))


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """The user's meetings for calendar clients; the secret token in the URL is the login."""
    user = db.session.scalar(
        select(User).where(User.calendar_token == token, User.is_active.is_(True))
    )
    if user is None or len(token) < 20:
        abort(404)
    stmt = select(Meeting).order_by(Meeting.starts_at)
    if user.role == Role.ADVISER:
        adviser = panel_queries.adviser_for_user(user.id)
        stmt = stmt.join(Invitation).where(Invitation.adviser_id == (adviser.id if adviser else -1))
    body = ical.calendar(
        db.session.scalars(stmt), request.host.split(":")[0], _("Legal adviser panel meetings")
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": "inline; filename=meetings.ics"},
    )
