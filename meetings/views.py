"""Pages of the panel's meetings: planning, leave, attendance, dismissal, report, calendar."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from advisers import queries as panel_queries
from core import services as core_services
from core import voiding
from core.errors import DomainError
from core.extensions import db
from core.flow import render_form, submit
from core.i18n import TIMEZONE, local_time, today
from core.listing import MAX_ID, apply_sort, choice_arg, date_arg, int_arg, paginate_rows
from core.models import User, utcnow
from core.policy import can, check_or_403, public, requires
from core.sealing import digest
from core.settings import office_names
from meetings import ical, queries, services
from meetings.forms import (
    AttendanceForm,
    CancelForm,
    LeaveDecisionForm,
    LeaveForm,
    MeetingForm,
    MinutesForm,
    TopicForm,
)
from meetings.models import (
    Invitation,
    LeaveRequest,
    MarkLabel,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from meetings.policy import CALENDAR, MANAGE, OWN, READ, REQUEST_LEAVE, VIEW, visible_to

bp = Blueprint("meetings", __name__)


def _meeting_or_404(meeting_id: int) -> Meeting:
    meeting = queries.meeting_detail(meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _visible_meeting(meeting_id: int) -> Meeting:
    meeting = _meeting_or_404(meeting_id)
    check_or_403(VIEW, meeting)
    return meeting


@bp.route("/meetings")
@requires(READ)
def meetings():
    status = choice_arg("status", MeetingStatus.values())
    year = int_arg("year", 2000, 2100)
    stmt, sort = apply_sort(
        queries.meetings_statement(status, year), queries.MEETING_SORTS, "-when"
    )
    page = paginate_rows(stmt, count=queries.meetings_count(status, year))
    return render_template(
        "meetings/meetings.html",
        page=page,
        sort=sort,
        status=status,
        year=year,
        statuses=MeetingStatus,
        pending=queries.pending_leave() if can(current_user, MANAGE) else [],
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


def _invitee_choices(day: date, meeting: Meeting | None, ticked=()):
    """Who can be ticked: those serving on the meeting's day, those invited already, and
    those ticked in the form (when they do not serve that day, the service says so in words)."""
    people = {a.id: a.name for a in panel_queries.advisers_serving_on(day)}
    if meeting is not None:
        people.update({i.adviser_id: i.adviser.name for i in meeting.invitations})
    people.update(queries.adviser_names(set(ticked) - set(people)))
    return sorted(people.items(), key=lambda choice: choice[1])


def _ticked_ids() -> list[int]:
    values = request.form.getlist("invitees")
    return [int(v) for v in values if v.isascii() and v.isdigit() and int(v) <= MAX_ID]


@bp.route("/meetings/new", methods=["GET", "POST"], defaults={"meeting_id": None})
@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_meeting(meeting_id: int | None):
    meeting = _meeting_or_404(meeting_id) if meeting_id else None
    form = MeetingForm(obj=meeting)
    if request.method == "GET":
        _prefill(form, meeting)
    else:
        day = form.starts_at.data.date() if form.starts_at.data else today()
        form.invitees.choices = _invitee_choices(day, meeting, _ticked_ids())
    response = submit(
        form,
        lambda: _save_meeting(meeting, form),
        lambda saved: _("Meeting saved; %(n)d invitee(s).", n=len(saved.invitations)),
        lambda saved: url_for("meetings.meeting", meeting_id=saved.id),
    )
    return response or render_form("meetings/meeting_form.html", form=form, meeting=meeting)


@bp.route("/meetings/invitees")
@requires(MANAGE)
def invitee_choices():
    """Who serves on a day, for the meeting form to follow its date as it changes."""
    day = date_arg("day") or today()
    return jsonify(
        day=day.isoformat(),
        invitees=[{"id": id_, "name": name} for id_, name in _invitee_choices(day, None)],
    )


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
    forms.setdefault(
        "minutes_form",
        MinutesForm(formdata=None, minutes=record.minutes, version=record.version),
    )
    forms.setdefault("topic_form", TopicForm(formdata=None))
    invitations = sorted(record.invitations, key=lambda i: i.adviser.name)
    page = render_template(
        "meetings/meeting.html",
        meeting=record,
        invitations=invitations,
        own=next((i for i in invitations if i.adviser.user_id == current_user.id), None),
        now_started=record.starts_at <= utcnow(),
        **forms,
    )
    return page, status


@bp.route("/meetings/<int:meeting_id>")
@requires(VIEW)
def meeting(meeting_id: int):
    return _meeting_page(_visible_meeting(meeting_id))


def _print_page(template: str, meeting_id: int, **context):
    """One of the meeting's printed documents, listing the invitees by post."""
    record = _visible_meeting(meeting_id)
    attendees = queries.attendees_by_post(record)
    return render_template(
        template,
        meeting=record,
        attendees=attendees,
        groups=queries.by_post(attendees),
        office=office_names(),
        **context,
    )


@bp.route("/meetings/<int:meeting_id>/notice")
@requires(VIEW)
def notice(meeting_id: int):
    return _print_page("meetings/notice.html", meeting_id, issued=today())


@bp.route("/meetings/<int:meeting_id>/sign-in")
@requires(VIEW)
def sign_in_sheet(meeting_id: int):
    return _print_page("meetings/sign_in.html", meeting_id)


@bp.route("/meetings/<int:meeting_id>/minutes/print")
@requires(VIEW)
def minutes_print(meeting_id: int):
    record = _visible_meeting(meeting_id)
    return _print_page(
        "meetings/minutes_print.html", meeting_id, marks=queries.names_by_mark(record)
    )


def _back_to(meeting: Meeting) -> str:
    return url_for("meetings.meeting", meeting_id=meeting.id)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@requires(MANAGE)
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
        action=_("Confirm: cancel the meeting"),
        danger=True,
    )


@bp.route("/meetings/<int:meeting_id>/hold", methods=["POST"])
@requires(MANAGE)
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
@requires(MANAGE)
def minutes(meeting_id: int):
    record = _meeting_or_404(meeting_id)
    form = MinutesForm()
    response = submit(
        form,
        lambda: services.save_minutes(
            current_user, record, minutes=form.minutes.data or "", version=form.version.data
        ),
        _("Minutes saved."),
        _back_to(record),
    )
    return response or _meeting_page(record, 400, minutes_form=form)


@bp.route("/meetings/<int:meeting_id>/topics", methods=["POST"])
@requires(MANAGE)
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
@requires(MANAGE)
def attendance(meeting_id: int):
    record = _meeting_or_404(meeting_id)
    form = AttendanceForm()
    response = submit(
        form,
        lambda: services.record_attendance(current_user, record, _posted_marks(record)),
        lambda changed: _("Attendance saved: %(n)d change(s).", n=len(changed)),
        _back_to(record),
    )
    return response or render_form(
        "meetings/attendance.html",
        form=form,
        meeting=_meeting_or_404(meeting_id),
        errors=getattr(form, "other_errors", {}),
        marks=MarkLabel,
        posted=request.form,
    )


@bp.route("/invitations/<int:invitation_id>/leave", methods=["GET", "POST"])
@requires(REQUEST_LEAVE)
def request_leave(invitation_id: int):
    invitation = db.get_or_404(Invitation, invitation_id)
    check_or_403(REQUEST_LEAVE, invitation)
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
        action=_("Send the request"),
    )


@bp.route("/leave/<int:leave_id>/decide", methods=["GET", "POST"])
@requires(MANAGE)
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
        action=_("Send the answer"),
    )


@bp.route("/me/meetings")
@requires(OWN)
def my_meetings():
    adviser = panel_queries.adviser_for_user(current_user.id)
    if adviser is None:
        return render_template("advisers/not_linked.html")
    return render_template(
        "meetings/my_meetings.html", adviser=adviser, record=queries.own_meetings(adviser)
    )


@bp.route("/account/calendar")
@requires(CALENDAR)
def calendar():
    token = current_user.calendar_token  # None: sealed under a secret key that is gone
    url = token and url_for("meetings.calendar_feed", token=token, _external=True)
    return render_template("meetings/calendar.html", feed_url=url, form=AttendanceForm(None))


@bp.route("/account/calendar/reset", methods=["POST"])
@requires(CALENDAR)
def reset_calendar():
    response = submit(
        AttendanceForm(),
        lambda: core_services.reset_calendar_token(current_user),
        _("Your calendar address has changed; the old one no longer works."),
        url_for("meetings.calendar"),
    )
    return response or abort(400)


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """The user's meetings for calendar clients; the secret token in the URL is the login."""
    user = db.session.scalar(
        select(User).where(User.calendar_digest == digest(token), User.is_active.is_(True))
    )
    if user is None or len(token) < 20:
        abort(404)
    stmt = visible_to(user, select(Meeting).order_by(Meeting.starts_at))
    body = ical.calendar(
        db.session.scalars(stmt), request.host.split(":")[0], _("Legal adviser office"), user
    )
    return Response(
        body,
        mimetype="text/calendar",
        # the feed is one person's meetings, reached by a secret address: never kept by caches
        headers={
            "Content-Disposition": "inline; filename=meetings.ics",
            "Cache-Control": "private, no-store",
        },
    )


def register_void_kinds() -> None:
    """What the office may void in the meetings: a meeting entered by mistake."""
    voiding.register(
        voiding.VoidKind(
            name="meeting",
            model=Meeting,
            label=_l("Meeting"),
            describe=lambda m: f"{m.title} · {local_time(m.starts_at)}",
            void=services.void_meeting,
            restore=services.restore_meeting,
            link=lambda m: url_for("meetings.meeting", meeting_id=m.id),
        )
    )
