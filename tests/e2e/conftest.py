"""Browser tests: the real app on its own SQLite file and HTTP server, driven by Chromium.

Every test here is marked `e2e` and `no_app_context` (the root conftest then leaves it alone).

The demo district is built once per run (create_app + db.create_all + load_demo) into a
template SQLite file; each test then gets its own copy of that file, its own app and its own
server on a free port, so the journeys can change the panel without breaking one another and
the run stays fast (copying the file takes milliseconds; loading the demo takes seconds).

Chromium must be Debian's /usr/bin/chromium: there is no network, so Playwright's own browser
download is never used. Set COUNSEL_SCREENSHOTS=1 to save screenshots to /tmp/counsel-shots/.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "counsel-demo-2026"
DEFAULT_TIMEOUT_MS = 10_000
SHOTS_DIR = Path("/tmp/counsel-shots")
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/e2e as `e2e` and `no_app_context`."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.no_app_context)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The system Chromium; missing is a failure in CI and a skip elsewhere."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"Chromium is not installed at {CHROMIUM}: browser tests must run in CI "
                "(install Debian's chromium package).",
                pytrace=False,
            )
        pytest.skip(
            "Chromium not installed at /usr/bin/chromium; "
            "install Debian's chromium to run the browser tests"
        )
    return CHROMIUM


# --- the app under test -------------------------------------------------------------


def _make_app(database: Path, instance: Path):
    """create_app on this SQLite file, with real CSRF, outside TESTING mode.

    COUNSEL_INSTANCE_PATH is read by create_app only, so it is set around the call and then
    restored (the root conftest's `app` fixture sets it for its own app).
    """
    from core import create_app

    instance.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get("COUNSEL_INSTANCE_PATH")
    os.environ["COUNSEL_INSTANCE_PATH"] = str(instance)
    try:
        return create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "SECRET_KEY": "e2e-secret-key-not-for-production",
                "WTF_CSRF_ENABLED": True,
                "TESTING": False,
                "MAIL_SERVER": None,
            }
        )
    finally:
        if previous is None:
            os.environ.pop("COUNSEL_INSTANCE_PATH", None)
        else:
            os.environ["COUNSEL_INSTANCE_PATH"] = previous


@dataclass
class DemoDatabase:
    path: Path
    #: adviser name → id, for the few checks that need a record's address
    adviser_ids: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory, chromium_path) -> DemoDatabase:
    """Build the demo district once: tables, then demo.panel.load_demo(today).

    Depends on chromium_path so that a machine without Chromium skips before any work.
    """
    from advisers.models import Adviser
    from core.extensions import db
    from core.i18n import today
    from demo.panel import load_demo

    folder = tmp_path_factory.mktemp("e2e-demo")
    path = folder / "demo.sqlite3"
    app = _make_app(path, folder / "instance")
    with app.app_context():
        db.create_all()
        load_demo(today())
        db.session.commit()
        ids = {a.name: a.id for a in db.session.scalars(db.select(Adviser))}
        db.session.remove()
        db.engine.dispose()
    return DemoDatabase(path=path, adviser_ids=ids)


@dataclass
class LiveServer:
    url: str
    adviser_ids: dict[str, int]

    def __str__(self) -> str:
        return self.url


def _copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database consistently (WAL included) with the backup API."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


@pytest.fixture
def live_server(demo_database, tmp_path) -> LiveServer:
    """A fresh copy of the demo, served by its own app on 127.0.0.1 on a free port."""
    from werkzeug.serving import make_server

    from core.extensions import db

    database = tmp_path / "counsel.sqlite3"
    _copy_database(demo_database.path, database)
    app = _make_app(database, tmp_path / "instance")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="counsel-e2e", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", demo_database.adviser_ids)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


# --- the browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class PageProblems:
    """Server errors (5xx) and browser script or console errors seen while a test ran.

    Chromium logs "Failed to load resource" for every 4xx answer; those are left out (the
    journeys expect a 401, a 400 and a 403), 5xx are caught apart.
    """

    def __init__(self):
        self.server_errors: list[str] = []
        self.console_errors: list[str] = []

    def watch(self, page) -> None:
        def on_response(response):
            if response.status >= 500:
                self.server_errors.append(
                    f"{response.status} {response.request.method} {response.url}"
                )

        def on_console(message):
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.console_errors.append(message.text)

        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))


def _new_page(browser, problems: PageProblems, **context_options):
    context = browser.new_context(locale="zh-CN", **context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    problems.watch(page)
    return context, page


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser, page_problems):
    """A page in a new browser context (fresh cookies), Chinese locale, 10 s timeouts.

    Fails the test afterwards when the server answered any request with a 5xx, or the
    browser reported a script or Content-Security-Policy error.
    """
    context, page = _new_page(browser, page_problems)
    yield page
    context.close()
    assert not page_problems.server_errors, f"server errors: {page_problems.server_errors}"
    assert not page_problems.console_errors, f"console errors: {page_problems.console_errors}"


@pytest.fixture
def phone_page(browser, page_problems):
    """Like `page`, on a phone-sized viewport (390×844) with touch."""
    context, page = _new_page(
        browser,
        page_problems,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    context.close()
    assert not page_problems.server_errors, f"server errors: {page_problems.server_errors}"
    assert not page_problems.console_errors, f"console errors: {page_problems.console_errors}"


# --- helpers for the journeys -----------------------------------------------------------


@pytest.fixture
def log_in(live_server):
    """Log a page in as a demo user through the login form; returns the page."""

    def do(page, username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/login")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()
        return page

    return do


@pytest.fixture
def shot():
    """Save a full-page screenshot for a human, only when COUNSEL_SCREENSHOTS is set."""

    def take(page, name: str) -> None:
        if not os.environ.get("COUNSEL_SCREENSHOTS"):
            return
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS_DIR / f"{name}.png"), full_page=True)

    return take
