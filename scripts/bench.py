"""Speed figures for the main pages as the data grows: `make bench`.

Builds a throwaway SQLite database with N serving advisers (bypassing the panel-size rule,
which caps a real panel at 15), then times each page through the test client and counts its
SQL queries. Then the same for consultations with 100,000 matters (ten years of a busy office,
with assignments, opinions and the search index), as the office, a liaison and an adviser see
them. Timings belong here, not in the test suite, where they would be flaky.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate
from sqlalchemy import event, select

from advisers.models import Adviser
from consultations.models import Opinion
from core import create_app
from core import services as core_services
from core.backups import archive
from core.backups import service as backups
from core.extensions import db
from core.flow import commit
from core.models import Department, Role
from demo.synthetic import bulk_meetings, bulk_panel
from demo.synthetic_matters import bulk_matters

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


def measure(app, url: str, username: str = "bench") -> tuple[float, int]:
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "steady-river-lantern"})
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


MEETING_PAGES = [
    "/meetings",
    "/reports/attendance",
    "/reports/attendance.xlsx",
    "/dismissals",
    "/evaluations",
    "/reports",
]


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


MATTERS = int(os.environ.get("BENCH_MATTERS", "100000"))
#: (page, who looks at it); {matter} is a matter with its opinion, advisers and work
MATTER_PAGES = [
    ("/consultations", "bench"),
    ("/consultations?kind=contract&status=closed&department=2", "bench"),
    ("/consultations?q=合同", "bench"),
    ("/consultations?q=征收补偿", "bench"),
    ("/consultations/{matter}", "bench"),
    ("/consultations/department", "bench-liaison"),
    ("/consultations/mine", "bench-adviser"),
    ("/consultations?q=合同", "bench-liaison"),
    ("/consultations", "bench-adviser"),
    ("/reports", "bench"),
    ("/reports?quarter=2", "bench"),
    ("/reports.xlsx", "bench"),
    ("/reports/yearly", "bench"),
    ("/leader", "bench"),
]


def fill_matters(count: int) -> int:
    """A 15-adviser panel, `count` matters, a liaison of the first department and an adviser's
    login; return the id of a recent matter with a signed opinion."""
    fill(15)
    bulk_matters(count)
    department = db.session.scalar(select(Department.id).order_by(Department.id))
    login = {"password": "steady-river-lantern", "display_name": "bench"}
    core_services.create_user(
        None, username="bench-liaison", roles=[Role.LIAISON], department_id=department, **login
    )
    adviser = core_services.create_user(
        None, username="bench-adviser", roles=[Role.ADVISER], **login
    )
    db.session.scalar(select(Adviser).order_by(Adviser.id)).user_id = adviser.id
    matter = db.session.scalar(select(Opinion.matter_id).order_by(Opinion.id.desc()).limit(1))
    commit()
    return matter


def bench_matters() -> None:
    print(f"\n{'matters':>9}  {'page':<58} {'as':<14} {'median ms':>10} {'queries':>8}")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app(
            {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False}
        )
        with app.app_context():
            flask_migrate.upgrade()
            started = time.perf_counter()
            matter = fill_matters(MATTERS)
            built = time.perf_counter() - started
        print(f"{'':>9}  (built in {built:.0f} s)")
        for page, username in MATTER_PAGES:
            page = page.format(matter=matter)
            ms, queries = measure(app, page, username)
            print(f"{MATTERS:>9}  {page:<58} {username:<14} {ms:>10.1f} {queries:>8}")
        bench_backup(app, Path(folder))
        with app.app_context():
            db.engine.dispose()


def bench_backup(app, folder: Path) -> None:
    """The biggest database backed up, its backup checked, and restored into an empty one."""
    app.config["BACKUP_DIR"] = str(folder / "backups")
    timings = {}
    with app.app_context():
        started = time.perf_counter()
        backup = backups.create_backup(app)
        commit()
        timings["made"] = time.perf_counter() - started
        started = time.perf_counter()
        archive.verify(backup.path)
        timings["checked"] = time.perf_counter() - started
        size = Path(db.engine.url.database).stat().st_size
    os.environ["COUNSEL_INSTANCE_PATH"] = str(folder / "restored-instance")
    target = create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'restored.db'}"}
    )
    with target.app_context():
        started = time.perf_counter()
        backups.restore_backup(target, backup.path)
        timings["restored"] = time.perf_counter() - started
        db.engine.dispose()
    figures = ", ".join(f"{what} in {seconds:.1f} s" for what, seconds in timings.items())
    print(
        f"\nbackup of {MATTERS:,} matters: database {size / 2**20:.0f} MB, "
        f"archive {backup.size / 2**20:.0f} MB; {figures}"
    )


def main() -> None:
    if sys.argv[1:] == ["matters"]:  # `python scripts/bench.py matters`: consultations only
        bench_matters()
        return
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
    bench_matters()


if __name__ == "__main__":
    main()
