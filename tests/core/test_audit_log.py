"""The audit trail page: each action one entry of sentences in the reader's language, with
names, labels and China times; filters by person, record and local date; links to records;
account events (sign-ins, passwords, calendar links) with who, whom and from where."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select, update

from advisers.models import Category, Post
from core import audit
from core.extensions import db
from core.i18n import today
from core.models import AuditEvent, Department, DepartmentKind, Role
from meetings import services as meeting_services
from meetings.models import MeetingKind
from tests.conftest import PASSWORD, assert_constant_queries, count_queries, log_in
from tests.meetings.fixtures import at

ENTRY = re.compile(
    r'<li class="audit-entry"[^>]*>(.*?)</li>\s*(?=<li class="audit-entry"|</ol>)', re.S
)


def entries_html(page: str) -> list[str]:
    return ENTRY.findall(page)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def entries(page: str) -> list[str]:
    """Each entry of the trail as the reader sees it, in one line."""
    return [text(html) for html in entries_html(page)]


def trail(client, query: str = "") -> str:
    response = client.get(f"/audit{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


@pytest.fixture
def wang(make_user):
    return make_user(Role.OFFICE, username="wang", display_name="王芳")


@pytest.fixture
def reader(make_user, login):
    """The office clerk who reads the trail, logged in; `reader.client` is their client."""

    def make(locale: str | None = None):
        user = make_user(Role.OFFICE, username="reader", display_name="读者", locale=locale)
        return login(user)

    return make


def as_actor(user):
    return audit.acting_as(db.session, user.id)


# --- sentences ---------------------------------------------------------------------------


def test_a_change_reads_with_labels_names_and_china_time(reader, wang, create_adviser, make_user):
    adviser = create_adviser(name="张三", category=Category.PRACTISING_LAWYER)
    account = make_user(Role.ADVISER, username="zhangsan", display_name="张三的账号")
    with as_actor(wang):
        adviser.category = Category.PUBLIC_LAWYER
        db.session.commit()
        adviser.user_id = account.id
        db.session.commit()
    moved = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # 01:30 the next day in China
    db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == wang.id).values(at=moved))
    db.session.commit()
    shown = entries(trail(reader(), "?type=Adviser"))
    assert any(
        "2026-03-02 01:30" in e and "王芳 将法律顾问「张三」的类别由 社会律师 改为 公职律师" in e
        for e in shown
    ), shown
    assert any("王芳 将法律顾问「张三」的登录账号设为 张三的账号" in e for e in shown), shown
    assert not any("public_lawyer" in e or "user_id" in e for e in shown)


def test_the_same_change_reads_in_english(reader, wang, create_adviser):
    adviser = create_adviser(name="张三", category=Category.PRACTISING_LAWYER)
    with as_actor(wang):
        adviser.category = Category.PUBLIC_LAWYER
        db.session.commit()
    shown = entries(trail(reader("en"), "?type=Adviser"))
    assert any(
        "王芳 changed the Category of Adviser 张三 from Practising lawyer to Public-sector lawyer"
        in e
        for e in shown
    ), shown


def test_a_created_and_a_deleted_record_read_with_their_values_and_name(reader, wang):
    with as_actor(wang):
        department = Department(name="区教育局", kind=DepartmentKind.BUREAU)
        db.session.add(department)
        db.session.commit()
        db.session.delete(department)
        db.session.commit()
    page = trail(reader(), "?type=Department")
    deleted, created = entries(page)
    assert "王芳 删除了部门「区教育局」" in deleted
    assert "王芳 新建了部门「区教育局」" in created and "类型：政府部门" in created
    assert 'href="/departments/' not in page  # it is gone: no link to a missing page


def test_a_field_emptied_and_several_fields_read_as_such(reader, wang):
    with as_actor(wang):
        department = Department(name="区水利局", kind=DepartmentKind.BUREAU, principal_head="顾文")
        db.session.add(department)
        db.session.commit()
        department.principal_head = None
        db.session.commit()
        department.kind, department.deputy_head = DepartmentKind.OTHER, "林立"
        db.session.commit()
    several, emptied, _created = entries(trail(reader(), "?type=Department"))
    assert "王芳 清空了部门「区水利局」的主要负责人（原为 顾文）" in emptied
    assert "王芳 修改了部门「区水利局」" in several
    assert "类型：由 政府部门 改为 其他单位" in several and "分管负责人：设为 林立" in several


def test_entries_link_to_the_records_page(reader, wang, appoint):
    term = appoint()
    with as_actor(wang):
        term.adviser.phone = "13800000000"
        db.session.commit()
    page = trail(reader(), f"?type=Adviser&record={term.adviser_id}")
    assert f'href="/advisers/{term.adviser_id}"' in page
    [appointed] = [e for e in entries_html(page) if "聘任" in text(e)]
    assert f'href="/advisers/{term.adviser_id}"' in appointed  # a term is shown on its adviser's


def test_a_record_filter_names_the_record_and_takes_what_belongs_to_it(reader, appoint):
    term = appoint()
    other = appoint()
    page = trail(reader(), f"?type=Adviser&record={term.adviser_id}")
    assert f"法律顾问「{term.adviser.name}」及其所属记录的变更历史" in text(page)
    shown = " ".join(entries(page))
    assert f"推荐{term.adviser.name}担任成员" in shown
    assert f"聘任{term.adviser.name}为成员（{term.letter_no}）" in shown
    assert other.adviser.name not in shown


# --- one entry per action ------------------------------------------------------------------


def test_planning_a_meeting_for_fifteen_is_one_entry_with_the_invitations_summed_up(
    reader, wang, appoint
):
    for _n in range(15):
        appoint(post=Post.MEMBER, start=today() - timedelta(days=100))
    day = today() + timedelta(days=10)
    meeting_services.plan_meeting(
        wang,
        kind=MeetingKind.REGULAR,
        title="2026年第四季度会议",
        starts_at=at(day),
        ends_at=at(day, 16),
        place="第一会议室",
    )
    db.session.commit()
    assert (
        db.session.scalar(select(db.func.count()).where(AuditEvent.record_type == "Invitation"))
        == 15
    )
    [entry] = entries_html(trail(reader(), f"?user={wang.id}"))
    assert "王芳 安排会议「2026年第四季度会议」" in text(entry)
    assert f"时间 {day.isoformat()} 14:00，地点 第一会议室" in text(entry)
    [group] = re.findall(r'<details class="audit-group">(.*?)</details>', entry, re.S)
    assert text(group).startswith("邀请 15 人")
    assert group.count("<li>") == 15 and "邀请顾问" in text(group)


def test_a_few_changes_are_listed_and_many_are_summed_up(reader, wang):
    with as_actor(wang):
        for n in range(3):
            db.session.add(Department(name=f"甲{n}局", kind=DepartmentKind.BUREAU))
        db.session.commit()
        for n in range(4):
            db.session.add(Department(name=f"乙{n}局", kind=DepartmentKind.BUREAU))
        db.session.commit()
    many, few = entries_html(trail(reader(), "?type=Department"))
    assert "<details" not in few and text(few).count("新建了部门") == 3
    assert "新建了 4 条部门记录" in text(many)


def test_an_action_of_thousands_shows_its_first_changes_and_counts_the_rest(
    reader, wang, monkeypatch
):
    """A bulk load writes thousands of rows in one action: the page reads a few of them."""
    from core.audit import reading

    monkeypatch.setattr(reading, "EVENTS_PER_ENTRY", 5)
    with as_actor(wang):
        for n in range(8):
            db.session.add(Department(name=f"丙{n}局", kind=DepartmentKind.BUREAU))
        db.session.commit()
    [entry] = entries_html(trail(reader(), "?type=Department"))
    assert "新建了 5 条部门记录" in text(entry)
    assert "同一操作中的另外 3 项更改" in text(entry)


# --- filters -----------------------------------------------------------------------------


def test_filters_by_person_type_and_name(reader, wang, make_user, create_adviser):
    other = make_user(Role.OFFICE, username="li", display_name="李明")
    with as_actor(other):
        db.session.add(Department(name="区民政局", kind=DepartmentKind.BUREAU))
        db.session.commit()
    with as_actor(wang):
        db.session.add(Department(name="区商务局", kind=DepartmentKind.BUREAU))
        db.session.commit()
        create_adviser(name="赵六")
    client = reader()
    by_wang = " ".join(entries(trail(client, f"?user={wang.id}&type=Department")))
    assert "区商务局" in by_wang and "区民政局" not in by_wang
    departments = " ".join(entries(trail(client, "?type=Department")))
    assert "区商务局" in departments and "区民政局" in departments and "赵六" not in departments
    named = " ".join(entries(trail(client, "?q=民政")))
    assert "区民政局" in named and "区商务局" not in named


def test_the_type_filter_offers_translated_labels(reader):
    page = trail(reader())
    assert '<option value="Adviser">法律顾问</option>' in page
    assert '<option value="LeaveRequest">请假申请</option>' in page
    assert ">LeaveRequest<" not in page


def test_dates_filter_by_the_day_in_china(reader, wang):
    with as_actor(wang):
        db.session.add(Department(name="区统计局", kind=DepartmentKind.BUREAU))
        db.session.commit()
    late = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 00:30 on 2 March in China
    db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == wang.id).values(at=late))
    db.session.commit()
    client = reader()
    for query, shown in [
        ("start=2026-03-02&end=2026-03-02", True),
        ("start=2026-03-01&end=2026-03-01", False),
        ("start=2026-03-03", False),
        ("end=2026-03-02", True),
    ]:
        page = " ".join(entries(trail(client, f"?type=Department&{query}")))
        assert ("区统计局" in page) is shown, query


def test_arguments_the_page_cannot_read_answer_400(reader):
    client = reader()
    for query in [
        "type=Nonsense",
        "kind=nonsense",
        "record=3",  # a record needs its type
        "type=Adviser&record=" + "9" * 65,
        "q=" + "长" * 101,
        "start=2026-02-30",
        "user=x",
    ]:
        assert client.get(f"/audit?{query}").status_code == 400, query


# --- account events ------------------------------------------------------------------------


def account_events(action: str) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(stmt))


ADDRESS = {"REMOTE_ADDR": "10.8.0.7"}


def test_sign_ins_sign_outs_and_failures_are_recorded_with_whom_and_from_where(client, make_user):
    clerk = make_user(Role.OFFICE, username="clerk", display_name="林晓")
    assert log_in(client, "clerk", "wrong-password", environ_base=ADDRESS).status_code == 401
    assert log_in(client, "nobody", "wrong-password", environ_base=ADDRESS).status_code == 401
    assert log_in(client, "clerk", environ_base=ADDRESS).status_code == 302
    assert client.post("/logout", environ_base=ADDRESS).status_code == 302
    known, unknown = account_events("login_failed")
    assert (known.actor_id, known.record_id, known.client_ip) == (None, str(clerk.id), "10.8.0.7")
    assert (unknown.actor_id, unknown.record_id, unknown.after) == (
        None,
        "",
        {"username": "nobody"},
    )
    [login] = account_events("login")
    [logout] = account_events("logout")
    for event in (login, logout):
        assert (event.actor_id, event.record_id, event.client_ip) == (
            clerk.id,
            str(clerk.id),
            "10.8.0.7",
        )


def test_password_and_calendar_changes_are_recorded_and_shown(client, make_user, login):
    admin = make_user(Role.ADMIN, username="root", display_name="管理员")
    clerk = make_user(Role.OFFICE, username="clerk", display_name="林晓")
    login(clerk)
    new = "a-different-passphrase-42"
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": new, "confirm": new},
        environ_base=ADDRESS,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert client.post("/account/calendar/reset", environ_base=ADDRESS).status_code == 302
    client.post("/logout")
    login(admin)
    reset = "yet-another-passphrase-43"
    response = client.post(
        f"/admin/users/{clerk.id}/password", data={"password": reset, "confirm": reset}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    [changed] = account_events("password_changed")
    [calendar] = account_events("calendar_link_reset")
    [by_admin] = account_events("password_reset")
    assert (changed.actor_id, changed.record_id, changed.client_ip) == (
        clerk.id,
        str(clerk.id),
        "10.8.0.7",
    )
    assert (calendar.actor_id, calendar.record_id) == (clerk.id, str(clerk.id))
    assert {e.record_type for e in (changed, calendar, by_admin)} == {"User"}
    assert (by_admin.actor_id, by_admin.record_id) == (admin.id, str(clerk.id))
    # the event tells the change: no second, masked "update" of the same account
    updates = select(AuditEvent).where(
        AuditEvent.action == "update", AuditEvent.record_id == str(clerk.id)
    )
    assert [e.changes() for e in db.session.scalars(updates)] == []
    shown = " ".join(entries(trail(client, "?kind=signin")))
    for sentence in (
        "林晓 修改了自己的密码",
        "林晓 重置了自己的日历订阅链接",
        "管理员 重置了用户账户「林晓」的密码",
        "林晓 登录了系统",
        "林晓 退出了登录",
        "来自 10.8.0.7",
    ):
        assert sentence in shown, sentence
    assert "***" not in shown


def test_second_factor_changes_and_wrong_codes_are_recorded(client, make_user):
    import time

    import pyotp

    from core import services, twofactor

    secret = pyotp.random_base32()
    clerk = make_user(Role.OFFICE, username="clerk", display_name="林晓")
    admin = make_user(Role.ADMIN, username="root", display_name="管理员")
    twofactor.enable_second_factor(clerk, secret, pyotp.TOTP(secret).at(time.time() - 30))
    db.session.commit()
    log_in(client, "clerk")
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    assert client.post("/login/code", data={"code": wrong}).status_code == 401
    services.reset_second_factor(admin, clerk)
    db.session.commit()
    [enabled] = account_events("second_factor_enabled")
    [failed] = account_events("second_factor_failed")
    [reset] = account_events("second_factor_disabled")
    assert (enabled.actor_id, enabled.record_id) == (clerk.id, str(clerk.id))
    assert (failed.actor_id, failed.record_id) == (None, str(clerk.id))
    assert (reset.actor_id, reset.record_id) == (admin.id, str(clerk.id))
    changed_secrets = [
        e
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "update"))
        if (e.after or {}).get("totp_secret") == audit.NEW_SECRET
    ]
    assert changed_secrets == []  # each event tells its own change of the secret


def test_a_failed_sign_in_reads_with_the_account_or_the_username_tried(client, make_user, login):
    make_user(Role.OFFICE, username="clerk", display_name="林晓")
    log_in(client, "clerk", "wrong-password")
    log_in(client, "<ghost>", "wrong-password")
    login(make_user(Role.ADMIN, username="root", display_name="管理员"))
    page = trail(client, "?kind=signin")
    shown = " ".join(entries(page))
    assert "有人 以用户账户「林晓」的身份登录失败" in shown
    assert "有人 使用不存在的用户名「<ghost>」登录失败" in shown
    assert "&lt;ghost&gt;" in page  # the username tried is shown as text, never as markup


def test_a_secret_changed_outside_an_account_event_still_shows_as_changed(reader, wang):
    with as_actor(wang):
        wang.password_hash = "argon2-another"
        db.session.commit()
    shown = " ".join(entries(trail(reader(), f"?type=User&record={wang.id}")))
    assert "王芳 修改了用户账户「王芳」的密码" in shown and "argon2" not in shown


def test_the_sign_in_filter_leaves_out_changes_and_the_changes_filter_sign_ins(reader, wang):
    with as_actor(wang):
        db.session.add(Department(name="区审计局", kind=DepartmentKind.BUREAU))
        db.session.commit()
    client = reader()
    sign_ins = " ".join(entries(trail(client, "?kind=signin")))
    changes = " ".join(entries(trail(client, "?kind=changes")))
    assert "登录了系统" in sign_ins and "区审计局" not in sign_ins
    assert "区审计局" in changes and "登录了系统" not in changes


# --- a record's own page -------------------------------------------------------------------


def test_an_advisers_page_shows_its_history_in_the_same_words(
    client, login, wang, appoint, make_user
):
    term = appoint()
    with as_actor(wang):
        term.adviser.phone = "13800000000"
        db.session.commit()
    login(make_user(Role.OFFICE, username="reader"))
    page = client.get(f"/advisers/{term.adviser_id}").get_data(as_text=True)
    assert 'data-testid="record-history"' in page
    assert f"王芳 将法律顾问「{term.adviser.name}」的电话设为 13800000000" in text(page)
    assert f"/audit?type=Adviser&amp;record={term.adviser_id}" in page


def test_only_readers_of_the_trail_see_a_records_history(client, login, make_user, create_adviser):
    account = make_user(Role.ADVISER)
    adviser = create_adviser(user_id=account.id)
    login(account)
    page = client.get(f"/advisers/{adviser.id}").get_data(as_text=True)
    assert 'data-testid="record-history"' not in page


# --- speed ------------------------------------------------------------------------------------


def _actions(actor, count: int, first: int) -> None:
    with as_actor(actor):
        for n in range(first, first + count):
            department = Department(name=f"部门{n}", kind=DepartmentKind.BUREAU)
            db.session.add(department)
            db.session.commit()
            department.principal_head = f"负责人{n}"
            db.session.commit()


def test_the_trail_runs_as_many_queries_for_many_actions_as_for_few(
    client, login, wang, appoint, plan, serving
):
    login(wang)
    plan(today() + timedelta(days=3))
    _actions(wang, 2, 0)
    client.get("/audit")
    with count_queries() as small:
        assert client.get("/audit").status_code == 200
    _actions(wang, 30, 100)
    for _n in range(3):
        appoint()
        plan(today() + timedelta(days=4))
    with count_queries() as large:
        assert client.get("/audit").status_code == 200
    assert_constant_queries(small[0], large[0], "/audit")
