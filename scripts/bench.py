"""Speed figures for the main pages as the data grows: `make bench`.

Builds a throwaway SQLite database with N serving advisers (bypassing the panel-size rule,
which caps a real panel at 15), then times each page through the test client and counts its
SQL queries. Timings belong here, not in the test suite, where they would be flaky.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import flask_migrate
from sqlalchemy import event

from core import create_app
from core import services as core_services
from core.extensions import db
from core.flow import commit
from core.models import Role
from demo.synthetic import bulk_meetings, bulk_panel

PAGES = ["/dashboard", "/roster", "/roster?sort=-end&q=顾问1", "/advisers", "/roster.xlsx"]
SIZES = [15, 1_500, 15_000]
REPEATS = 7


def fill(size: int) -> None:
    bulk_panel(size)
    core_services.create_user(
        None,
        username="bench",
        password="steady-river-lantern",
        display_name="bench",
        roles=[Role.OFFICE],
    )
    commit()


def measure(app, url: str) -> tuple[float, int]:
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": "steady-river-lantern"})
    client.get(url)
    queries = [0]

    def count(*_args):
        queries[0] += 1

    timings = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    for _ in range(REPEATS):
        started = time.perf_counter()
        assert client.get(url).status_code == 200, url
        timings.append((time.perf_counter() - started) * 1000)
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", count)
    return statistics.median(timings), queries[0] // REPEATS


MEETING_PAGES = ["/meetings", "/reports/attendance", "/reports/attendance.xlsx", "/dismissals"]


def bench_meetings() -> None:
    print(f"\n{'years':>9}  {'page (15 advisers)':<28} {'median ms':>10} {'queries':>8}")
    for years in (1, 5):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            app = create_app(
                {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False}
            )
            with app.app_context():
                flask_migrate.upgrade()  # the schema and the defaults, as in production
                fill(15)
                bulk_meetings(years)
            for page in MEETING_PAGES:
                ms, queries = measure(app, page)
                print(f"{years:>9}  {page:<28} {ms:>10.1f} {queries:>8}")
            with app.app_context():
                db.engine.dispose()


def main() -> None:
    print(f"{'advisers':>9}  {'page':<28} {'median ms':>10} {'queries':>8}")
    for size in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            app = create_app(
                {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False}
            )
            with app.app_context():
                flask_migrate.upgrade()  # the schema and the defaults, as in production
                fill(size)
            for page in PAGES:
                ms, queries = measure(app, page)
                print(f"{size:>9}  {page:<28} {ms:>10.1f} {queries:>8}")
            with app.app_context():
                db.engine.dispose()
    bench_meetings()


if __name__ == "__main__":
    main()
