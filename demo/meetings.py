"""Demo meetings: two years of quarterly and ad hoc meetings with realistic attendance.

One adviser (胡斌) has missed the last three meetings and is a dismissal candidate; another
(朱红) missed three in a row earlier, was kept with a recorded waiver, and attends again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from advisers.models import Adviser
from core.extensions import db
from core.i18n import TIMEZONE
from core.models import User
from evaluation import services as evaluation_services
from evaluation.models import CandidateStatus, DismissalCandidate
from meetings import services
from meetings.models import Invitation, MeetingKind

PLACE = "区政府3号楼第一会议室"
CONVENER = "区法制办"
REGULAR_TOPICS = [
    ("区重大行政决策事项合法性审查", "建议补充公众参与和风险评估环节后再提交常务会议。"),
    ("规范性文件清理情况", "对3件与上位法不一致的文件提出修改意见。"),
]
AD_HOC = [
    ("白鹭镇征地拆迁补偿纠纷研判", "认为补偿标准符合规定，建议加强协商，避免诉讼。"),
    ("区城市管理局行政处罚案件应诉准备", "建议补强证据链，负责人出庭应诉。"),
    ("区政府与某公司合作协议审查", "建议明确违约责任和争议解决条款。"),
    ("环保督察整改涉法问题论证", "整改措施合法，注意听证程序。"),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TIMEZONE)


def _schedule(today: date) -> list[tuple[date, MeetingKind, str, tuple[str, str]]]:
    """The past two years of meetings, oldest first."""
    found = []
    for back in range(8, 0, -1):
        month_index = today.year * 12 + today.month - 1 - 3 * back
        year, month = divmod(month_index, 12)
        day = date(year, month + 1, 15)
        quarter = (month // 3) + 1
        found.append((day, MeetingKind.REGULAR, f"{year}年第{quarter}季度法律顾问室定期会议",
                      REGULAR_TOPICS[back % 2]))  # fmt: skip
    for index, (title, opinion) in enumerate(AD_HOC):
        day = today - timedelta(days=80 + 150 * index)
        found.append((day, MeetingKind.AD_HOC, title, (title, opinion)))
    return sorted(found, key=lambda item: item[0])


def _mark(index: int, adviser: Adviser, absentee: str, waived: str, total: int) -> str:
    if adviser.name == absentee and index >= total - 3:
        return "absent"
    if adviser.name == waived:
        return "absent" if total - 8 <= index < total - 5 else "present"
    remainder = (index + adviser.id) % 9
    return {0: "absent", 4: "excused"}.get(remainder, "present")


def load_meetings(actor: User, today: date) -> None:
    """Plan, hold and record two years of meetings; raise and decide the demo candidates."""
    schedule = _schedule(today)
    for index, (day, kind, title, (topic, opinion)) in enumerate(schedule):
        meeting = services.plan_meeting(
            actor, kind=kind, title=title, starts_at=_at(day, 14, 30), ends_at=_at(day, 17),
            place=PLACE, convened_by=CONVENER,
            agenda="一、通报近期法律事务办理情况\n二、研究讨论有关事项\n三、其他事项",
        )  # fmt: skip
        if not meeting.invitations:
            continue
        services.hold_meeting(actor, meeting, minutes="会议由顾问室主任主持，与会顾问充分讨论。")
        services.add_topic(actor, meeting, title=topic, opinion=opinion)
        marks = {}
        for invitation in meeting.invitations:
            mark = _mark(index, invitation.adviser, "胡斌", "朱红", len(schedule))
            reason = "外地出差，会前已说明" if mark == "excused" else ""
            marks[invitation.id] = (mark, reason)
        services.record_attendance(actor, meeting, marks)
        _waive_open_case(actor, "朱红")
    _cancelled_and_coming(actor, today)


def _waive_open_case(actor: User, name: str) -> None:
    stmt = (
        select(DismissalCandidate)
        .join(DismissalCandidate.adviser)
        .where(Adviser.name == name, DismissalCandidate.status == CandidateStatus.OPEN)
    )
    for candidate in db.session.scalars(stmt):
        evaluation_services.waive_candidate(
            actor, candidate, reason="因病住院治疗，已提交医院证明，继续留任。"
        )


def _cancelled_and_coming(actor: User, today: date) -> None:
    cancelled = services.plan_meeting(
        actor, kind=MeetingKind.AD_HOC, title="政府投资项目合同范本论证会",
        starts_at=_at(today - timedelta(days=20), 9), ends_at=_at(today - timedelta(days=20), 11),
        place=PLACE, convened_by=CONVENER,
    )  # fmt: skip
    services.cancel_meeting(actor, cancelled, reason="议题改由区司法局书面征求意见。")
    coming = services.plan_meeting(
        actor, kind=MeetingKind.REGULAR, title=f"{today.year}年第四季度法律顾问室定期会议",
        starts_at=_at(today + timedelta(days=12), 14, 30),
        ends_at=_at(today + timedelta(days=12), 17), place=PLACE, convened_by=CONVENER,
        agenda="一、年度工作总结\n二、研究明年法律顾问工作计划",
    )  # fmt: skip
    director = db.session.scalar(select(Adviser).where(Adviser.name == "王建国"))
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.meeting_id == coming.id,
                                 Invitation.adviser_id == director.id)
    )  # fmt: skip
    if invitation is not None and director.user is not None:
        services.request_leave(director.user, invitation, reason="当天需出庭代理案件。")
