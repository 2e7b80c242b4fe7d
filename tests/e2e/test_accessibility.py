"""axe-core on every page each role reaches, and the phone layout of the widest pages.

The pages are found, not listed: logged in as each demo role, the browser follows the links
from the start page and checks one address per endpoint of the URL map. Pages whose link shows
only on a record in a particular state are opened by address (BY_ADDRESS). An endpoint that is
none of these fails the test unless it answers with something other than a page (NOT_PAGES),
so a new page is checked without anyone remembering to add it here.

axe-core is vendored (tests/e2e/vendor/axe-core, MPL-2.0) and injected into each page; the
browser context bypasses the Content-Security-Policy only so that the injected script may run.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from tests.e2e.helpers import submit_form

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"

#: the demo logins, each of which sees different pages; the office's start page and the pages
#: it links to (the menus) are checked in English too
ROLES = ("office", "admin", "adviser", "liaison", "leader")

#: endpoints that answer with a file, a feed, data for a script or a redirect, not a page (a
#: link that starts a download is recognised as such; these are not even followed)
NOT_PAGES = {
    "static",
    "accounts.home",  # redirects to the role's first menu entry
    "advisers.my_page",  # redirects to the adviser's own record
    "advisers.roster_export",
    "advisers.letter_pdf",
    "advisers.dismissal_pdf",
    "reports.attendance_export",
    "reports.consultations_export",
    "meetings.calendar_feed",
    "health.healthz",  # JSON for a load balancer
    "meetings.invitee_choices",
    "engagements.export",
    "engagements.contract",
    "consultations.download",
    "consultations.activity_file",
    "consultations.opinion_pdf",
    "cases.download",
    "cases.follow_up_file",
    "reports.cases_export",
    "reports.index_export",
    "reports.yearly_pdf",
    "rewards.decision_list_pdf",
}

#: a case's pages whose links show only on the case's own page
_CASE_PAGES = (
    "cases.edit_case",
    "cases.add_stage",
    "cases.add_files",
    "cases.add_member",
    "cases.close_case",
    "cases.add_hearing",
    "cases.add_performance",
)
_OPEN_CASE = "SELECT id AS case_id FROM \"case\" WHERE status = 'open' ORDER BY id"
_OPEN_FOLLOW_UP = "SELECT id AS follow_up_id FROM follow_up WHERE replied_on IS NULL"
_RECOMMENDED = "SELECT id AS nomination_id FROM nomination WHERE status = 'recommended'"
_HELD = "SELECT id AS meeting_id FROM meeting WHERE status = 'held'"


def _of_open_case(table: str, key: str, *conditions: str) -> str:
    """A record of an open case meeting the conditions on its own columns, as the case's and
    the record's URL arguments."""
    where = "".join(f" AND {table}.{condition}" for condition in conditions)
    return (
        f"SELECT {table}.case_id AS case_id, {table}.id AS {key} FROM {table} "
        f'JOIN "case" ON "case".id = {table}.case_id WHERE "case".status = \'open\'{where}'
    )


def _matter(status: str) -> str:
    return (
        "SELECT id AS matter_id FROM matter WHERE voided_at IS NULL AND kind NOT IN "
        f"('training', 'publicity') AND status = '{status}' ORDER BY id"
    )


def _on_it(select: str, assignment: str, matter: str, lead: bool = True) -> str:
    """The demo adviser's matters (or assignments) in these states."""
    return (
        f"SELECT {select} FROM assignment JOIN matter ON matter.id = assignment.matter_id "
        "JOIN adviser ON adviser.id = assignment.adviser_id "
        "JOIN user ON user.id = adviser.user_id "
        f"WHERE user.username = 'adviser' AND assignment.status IN ({assignment}) "
        f"AND matter.status IN ({matter}) AND matter.voided_at IS NULL "
        + ("AND assignment.role = 'lead' " if lead else "")
        + "AND matter.kind NOT IN ('training', 'publicity') ORDER BY matter.id"
    )


#: (role, endpoint, SQL giving the URL's arguments in the demo) for pages whose link shows only
#: on a record in a particular state, or in a state the demo does not have
BY_ADDRESS = [
    ("office", "advisers.approve", _RECOMMENDED),
    ("office", "advisers.decline", _RECOMMENDED),
    ("office", "advisers.appoint", _RECOMMENDED),
    ("office", "advisers.recommend", "SELECT id AS adviser_id FROM adviser WHERE name = '何平'"),
    ("office", "meetings.attendance", _HELD),
    ("office", "meetings.minutes_print", _HELD),
    ("office", "meetings.sign_in_sheet", _HELD),
    (
        "office",
        "advisers.dismissal_notice",
        "SELECT id AS term_id FROM term WHERE end_reason = 'dismissed'",
    ),
    (
        "office",
        "advisers.withdraw_renewal",
        "SELECT id AS term_id FROM term WHERE renewal_of_id IS NOT NULL",
    ),
    (
        "adviser",
        "meetings.request_leave",
        "SELECT invitation.id AS invitation_id FROM invitation "
        "JOIN meeting ON meeting.id = invitation.meeting_id "
        "JOIN adviser ON adviser.id = invitation.adviser_id "
        "JOIN user ON user.id = adviser.user_id "
        "WHERE user.username = 'adviser' AND meeting.status = 'planned'",
    ),
    (
        "adviser",
        "cases.declare_conflict",
        "SELECT case_member.case_id AS case_id, case_member.id AS member_id FROM case_member "
        "JOIN adviser ON adviser.id = case_member.adviser_id "
        "JOIN user ON user.id = adviser.user_id "
        "WHERE user.username = 'adviser' AND case_member.status != 'replaced'",
    ),
    *(("office", endpoint, _OPEN_CASE) for endpoint in _CASE_PAGES),
    (
        "office",
        "cases.edit_stage",
        "SELECT case_stage.case_id AS case_id, case_stage.id AS stage_id FROM case_stage "
        'JOIN "case" ON "case".id = case_stage.case_id WHERE "case".status = \'open\'',
    ),
    (
        "office",
        "cases.replace_member",
        "SELECT case_member.case_id AS case_id, case_member.id AS member_id FROM case_member "
        'JOIN "case" ON "case".id = case_member.case_id '
        "WHERE \"case\".status = 'open' AND case_member.status != 'replaced'",
    ),
    (
        "office",
        "cases.deadline_done",
        "SELECT case_deadline.case_id AS case_id, case_deadline.id AS deadline_id "
        'FROM case_deadline JOIN "case" ON "case".id = case_deadline.case_id '
        "WHERE \"case\".status = 'open' AND case_deadline.done_on IS NULL",
    ),
    (
        "office",
        "cases.edit_hearing",
        _of_open_case("case_hearing", "hearing_id", "appeared IS NULL"),
    ),
    (
        "office",
        "cases.record_appearance",
        _of_open_case("case_hearing", "hearing_id", "appeared IS NOT NULL"),
    ),
    (
        "office",
        "cases.record_performed",
        _of_open_case("case_performance", "performance_id", "status = 'pending'"),
    ),
    (
        "office",
        "cases.extend_deadline",
        _of_open_case(
            "case_deadline",
            "deadline_id",
            "rule = 'reconsideration_decision'",
            "done_on IS NULL",
            "extension_reason IS NULL",
        ),
    ),
    (
        "office",
        "cases.close_event",
        _of_open_case("serious_event", "event_id", "closed_on IS NULL"),
    ),
    ("office", "cases.follow_up", _OPEN_FOLLOW_UP),
    ("office", "cases.edit_follow_up", _OPEN_FOLLOW_UP),
    ("office", "cases.reply_follow_up", _OPEN_FOLLOW_UP),
    ("office", "consultations.return_matter", _matter("requested")),
    ("office", "consultations.assign", _matter("accepted")),
    ("office", "consultations.edit_matter", _matter("in_progress")),
    ("office", "consultations.add_files", _matter("in_progress")),
    (
        "office",
        "consultations.withdraw",
        "SELECT assignment.id AS assignment_id FROM assignment "
        "JOIN matter ON matter.id = assignment.matter_id "
        "WHERE assignment.status IN ('pending', 'accepted') "
        "AND matter.status IN ('accepted', 'in_progress') AND matter.voided_at IS NULL",
    ),
    (
        "office",
        "consultations.opinion",
        "SELECT id AS opinion_id FROM opinion WHERE status = 'delivered' ORDER BY id",
    ),
    (
        "office",
        "consultations.edit_activity",
        "SELECT id AS activity_id FROM activity WHERE voided_at IS NULL ORDER BY id",
    ),
    (
        "adviser",
        "consultations.answer",
        _on_it(
            "assignment.id AS assignment_id", "'pending'", "'in_progress', 'accepted'", lead=False
        ),
    ),
    (
        "adviser",
        "consultations.draft",
        _on_it("matter.id AS matter_id", "'accepted'", "'in_progress'"),
    ),
    (
        "adviser",
        "consultations.correct",
        _on_it("matter.id AS matter_id", "'accepted'", "'submitted', 'delivered'"),
    ),
    (
        "adviser",
        "consultations.log_work",
        _on_it("matter.id AS matter_id", "'accepted'", "'in_progress'", lead=False),
    ),
    (
        "liaison",
        "consultations.adoption",
        "SELECT matter.id AS matter_id FROM matter "
        "JOIN user ON user.department_id = matter.department_id "
        "WHERE user.username = 'liaison' AND matter.status = 'delivered' "
        "AND matter.voided_at IS NULL ORDER BY matter.id",
    ),
]

#: error pages, opened on purpose: (role, path, status)
ERRORS = [("office", "/no-such-page", 404), ("adviser", "/audit", 403)]

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      id: v.id,
      impact: v.impact,
      count: v.nodes.length,
      targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
    }));
}"""


class Checker:
    """Opens pages, runs axe-core on each, and keeps the violations and the endpoints seen."""

    def __init__(self, page, base: str, url_map):
        self.page = page
        self.base = base
        self.urls = url_map.bind(urlsplit(base).netloc)
        self.problems: list[str] = []
        self.endpoints: set[str] = set()
        #: endpoints whose link downloads a file: not pages
        self.files: set[str] = set()

    def endpoint(self, url: str) -> str | None:
        """The endpoint a same-site address leads to; None for other sites and unknown paths."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.base:
            return None
        try:
            endpoint, _ = self.urls.match(parts.path, method="GET")
        except (RequestRedirect, HTTPException):
            return None
        return endpoint

    def build(self, endpoint: str, arguments: dict) -> str:
        return self.urls.build(endpoint, arguments)

    def visit(self, path: str, who: str, status: int = 200) -> None:
        """Open a page, expect its status, and record every serious or critical violation."""
        try:
            response = self.page.goto(self.base + path)
        except PlaywrightError as error:
            if "Download is starting" not in error.message:
                raise
            self.files.add(self.endpoint(self.base + path))
            return
        if response is None or response.status != status:
            got = response.status if response else "no answer"
            self.problems.append(f"{who} {path}: answered {got}, expected {status}")
            return
        if status == 200:
            self.endpoints.add(self.endpoint(self.page.url))
        self.page.add_script_tag(path=str(AXE))
        for v in self.page.evaluate(RUN_AXE):
            self.problems.append(
                f"{who} {path}: {v['impact']} {v['id']} on {v['count']} element(s), "
                f"e.g. {v['targets']}"
            )

    def crawl(self, who: str) -> list[str]:
        """From the page open now, check one address per page endpoint reachable by links.

        The start page is always checked; other endpoints only if no earlier role's crawl
        checked them (the templates are the same; the start page shows the role's menus).
        Returns the paths of the start page and of the pages it links to.
        """
        seen = self.endpoints | {self.endpoint(self.page.url)}
        queue = deque([(_path(self.page.url), 0)])
        first_level: list[str] = []
        while queue:
            path, depth = queue.popleft()
            self.visit(path, who)
            if depth <= 1:
                first_level.append(path)
            for url in self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                endpoint = self.endpoint(url)
                if endpoint is None or endpoint in NOT_PAGES or endpoint in seen:
                    continue
                seen.add(endpoint)
                queue.append((_path(url), depth + 1))
        return first_level


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _arguments(database: Path, query: str) -> dict:
    """The first row of a query on the demo database, as URL arguments."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        row = connection.execute(query).fetchone()
    finally:
        connection.close()
    assert row is not None, f"the demo has no record for: {query}"
    return dict(row)


def _check_the_second_factor_steps(checker: Checker, page, log_in) -> None:
    """The two login steps after the password, which only a login part-way through reaches:
    the code (a leader who turned the second factor on) and setting one up (office staff once
    the administrator requires it)."""
    page.context.clear_cookies()
    log_in(page, "leader")
    page.goto(f"{checker.base}/account/second-factor")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    submit_form(page, page.locator("main form[method=post]").first)
    page.context.clear_cookies()
    log_in(page, "leader")
    checker.visit(_path(page.url), "leader, second step")

    page.context.clear_cookies()
    log_in(page, "admin")
    page.goto(f"{checker.base}/admin/settings")
    setting = page.locator("form[action$='/security.second_factor_required']")
    setting.locator("input[name=value]").fill("1")
    submit_form(page, setting)
    page.context.clear_cookies()
    log_in(page, "office")
    checker.visit(_path(page.url), "office, setting up")


def _switch_to_english(page) -> None:
    with page.expect_navigation():
        page.locator("nav").get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.fixture
def axe_page(browser, page_problems):
    """A desktop page whose context lets the injected axe-core script run; fails on any 5xx."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 800}, bypass_csp=True
    )
    page = context.new_page()
    page_problems.watch(page)
    yield page
    context.close()
    assert not page_problems.server_errors, f"server errors: {page_problems.server_errors}"


def test_no_serious_accessibility_violation_on_any_page(
    axe_page, live_server, log_in, app, demo_database
):
    page = axe_page
    checker = Checker(page, live_server.url, app.url_map)

    checker.visit("/login", "anonymous")
    for role in ROLES:
        page.context.clear_cookies()
        log_in(page, role)
        first_level = checker.crawl(role)
        for who, endpoint, query in BY_ADDRESS:
            if who == role:
                checker.visit(checker.build(endpoint, _arguments(demo_database.path, query)), role)
        for who, path, status in ERRORS:
            if who == role:
                checker.visit(path, role, status)
        if role == ROLES[0]:
            _switch_to_english(page)
            for path in first_level:
                checker.visit(path, f"{role} (en)")
    _check_the_second_factor_steps(checker, page, log_in)
    page.context.clear_cookies()
    page.set_extra_http_headers({"Accept-Language": "en"})
    checker.visit("/login", "anonymous (en)")

    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    missed = sorted(pages - NOT_PAGES - checker.files - checker.endpoints)
    if missed:
        checker.problems.append(
            f"pages axe-core never checked (no role reached them by a link): {missed}; "
            "open them in BY_ADDRESS, or list them in NOT_PAGES if they are not pages"
        )
    assert not checker.problems, f"{len(checker.problems)} problems:\n" + "\n".join(
        checker.problems
    )


# --- layout on a phone ------------------------------------------------------------------

#: an organisation's name with no place to break a line (a firm's name in Latin letters)
LONG_NAME = ("JiangnanZhenghengLawFirm" * 3)[:60]

FITS = """text => ({
  page: document.documentElement.scrollWidth,
  tables: [...document.querySelectorAll('.table-responsive')]
    .filter(box => box.innerText.includes(text) && box.scrollWidth > box.clientWidth + 1)
    .map(box => `${box.scrollWidth} > ${box.clientWidth}`),
})"""


def assert_fits(page, path: str, text: str = "") -> None:
    """The page is no wider than the screen, nor is any table showing `text` wider than its box.

    A phone's browser widens its layout viewport to what overflows, so the page is compared
    with the viewport's configured width, not with window.innerWidth.
    """
    width = page.viewport_size["width"]
    found = page.evaluate(FITS, text)
    assert found["page"] <= width, f"{path} at {width} px: the page is {found['page']} px wide"
    assert not found["tables"], f"{path} at {width} px: tables scroll sideways: {found['tables']}"


def test_long_names_and_dismissal_candidates_fit_a_phone(phone_page, live_server, log_in, shot):
    page = phone_page
    log_in(page, "office")
    page.goto(f"{live_server.url}/departments/new")
    page.locator("input[name=name]").fill(LONG_NAME)
    page.locator("select[name=kind]").select_option("bureau")
    submit_form(page, expect_status=302)
    adviser = f"/advisers/{live_server.adviser_ids['张志强']}"
    page.goto(f"{live_server.url}{adviser}/edit")
    page.locator("input[name=organisation]").fill(LONG_NAME)
    submit_form(page, expect_status=302)

    page.goto(f"{live_server.url}/dismissals")
    expect(page.get_by_test_id("candidates").locator(".list-group-item")).not_to_have_count(0)
    assert_fits(page, "/dismissals")
    shot(page, "phone-dismissal-candidates")
    page.goto(f"{live_server.url}/dashboard")
    expect(page.get_by_test_id("open-candidates")).to_be_visible()
    assert_fits(page, "/dashboard")
    for path in (adviser, f"/departments?q={LONG_NAME}"):
        page.goto(live_server.url + path)
        expect(page.locator("main")).to_contain_text(LONG_NAME)
        assert_fits(page, path, LONG_NAME)
    shot(page, "phone-long-department")

    # The tables show the organisation from 992 px on, where it must wrap inside its column.
    page.set_viewport_size({"width": 1000, "height": 800})
    for path in ("/roster", f"/advisers?q={LONG_NAME}"):
        page.goto(live_server.url + path)
        expect(page.locator("main table")).to_contain_text(LONG_NAME)
        assert_fits(page, path, LONG_NAME)
    shot(page, "tablet-long-organisation")
