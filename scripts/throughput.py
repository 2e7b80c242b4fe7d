"""Throughput of every list and dashboard page under gunicorn, against a bare Flask page.

Builds a throwaway SQLite database (15, then 1,500 serving advisers with 10 years of meetings,
and 1,000, then 100,000 matters with their assignments, opinions and search index), serves
Counsel and the bare page (scripts/bare_app.py) each with gunicorn and 2 workers, drives
every page with wrk (20 connections) in a few rounds, and prints the median requests/s and p99
with the median share of the bare page's rate, each round measured just before the page.
Targets (issue 6): at least 30% of the bare rate at 15 advisers; at least 20% with p99 under
300 ms at 1,500 advisers. The consultations pages (issue 8) are held to the same targets, the
larger with 100,000 matters; each is driven as the role whose page it is.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/dashboard",
    "/roster",
    "/advisers",
    "/meetings",
    "/reports/attendance",
    "/dismissals",
    "/departments",
    "/audit",
    "/notifications",
    "/admin/users",
    "/consultations",
    "/consultations?kind=contract&status=closed&department=2",
    "/consultations?q=合同",
    "/consultations?q=征收补偿",
    "/consultations/{matter}",
    "/consultations/department",
    "/consultations/mine",
]
#: pages driven as another login than the office's `bench`
PAGE_USERS = {"/consultations/department": "bench-liaison", "/consultations/mine": "bench-adviser"}
if os.environ.get("BENCH_PAGES"):  # e.g. BENCH_PAGES=/roster,/audit to look at a few
    PAGES = os.environ["BENCH_PAGES"].split(",")
#: (advisers, years of meetings, matters)
SIZES = [(15, 10, 1_000), (1_500, 10, 100_000)]
CONNECTIONS = 20
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
#: each page is driven this many times, each time right after the bare page; the median counts
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGETS = {15: (0.30, None), 1_500: (0.20, 300.0)}


@dataclass
class Result:
    rate: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_database(path: Path, advisers: int, years: int, matters: int) -> int:
    """Fill a new SQLite database with a synthetic office, through the app's own code; return
    the id of a matter with a signed opinion."""
    sys.path.insert(0, str(ROOT))
    import flask_migrate
    from sqlalchemy import select

    from advisers.models import Adviser
    from consultations.models import Opinion
    from core import create_app
    from core import services as core_services
    from core.extensions import db
    from core.flow import commit
    from core.models import Department, Role
    from demo.synthetic import bulk_meetings, bulk_panel
    from demo.synthetic_matters import bulk_matters
    from evaluation.services import evaluate_advisers

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        flask_migrate.upgrade()  # the schema and the defaults, as in production
        bulk_panel(advisers, serving_days=365 * years + 30)
        bulk_meetings(years, 20)
        from core.i18n import today

        evaluate_advisers(None, today())
        login = {"password": "steady-river-lantern", "display_name": "bench"}
        core_services.create_user(None, username="bench", roles=[Role.OFFICE, Role.ADMIN], **login)
        bulk_matters(matters)
        department = db.session.scalar(select(Department.id).order_by(Department.id))
        core_services.create_user(
            None, username="bench-liaison", roles=[Role.LIAISON], department_id=department, **login
        )
        adviser = core_services.create_user(
            None, username="bench-adviser", roles=[Role.ADVISER], **login
        )
        db.session.scalar(select(Adviser).order_by(Adviser.id)).user_id = adviser.id
        matter = db.session.scalar(select(Opinion.matter_id).order_by(Opinion.id.desc()).limit(1))
        commit()
        db.engine.dispose()
    return matter


def serve(app_path: str, port: int, env: dict) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
            app_path,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start on {port}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def log_in(port: int, username: str = "bench") -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = f"username={username}&password=steady-river-lantern"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/login", body, headers)
    response = connection.getresponse()
    cookie = response.getheader("Set-Cookie", "")
    if response.status != 302 or "session=" not in cookie:
        raise RuntimeError(f"could not log in: {response.status}")
    return cookie.split(";", 1)[0]


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def drive(port: int, path: str, cookie: str | None) -> Result:
    """Run wrk against one page and read its rate, p99 and failed responses."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return Result(rate, float(value) * UNITS[unit], int(errors.group(1)) if errors else 0)


def measure(
    advisers: int, years: int, matters: int, folder: Path
) -> dict[str, list[tuple[Result, Result]]]:
    """Each page's results, each with the bare page's measured just before it.

    The machine's speed drifts during a run (other tenants, CPU frequency); comparing each
    page with a bare run next to it, over a few rounds, keeps the share honest.
    """
    database = folder / f"bench-{advisers}.sqlite3"
    started = time.monotonic()
    matter = build_database(database, advisers, years, matters)
    print(f"\n{advisers:,} advisers, {years} years of meetings, {matters:,} matters (built in "
          f"{time.monotonic() - started:.0f} s)")  # fmt: skip
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "bench",
        "COUNSEL_INSTANCE_PATH": str(folder),
        "COUNSEL_WTF_CSRF_ENABLED": "false",  # the benchmark logs in with a plain POST
    }
    bare_port, app_port = free_port(), free_port()
    bare = serve("scripts.bare_app:app", bare_port, env)
    counsel = serve("wsgi:app", app_port, env)
    try:
        cookies = {user: log_in(app_port, user) for user in {"bench", *PAGE_USERS.values()}}
        results = {page: [] for page in PAGES}
        for _round in range(ROUNDS):
            for page in PAGES:
                path = quote(page.format(matter=matter), safe="/?=&")
                cookie = cookies[PAGE_USERS.get(page, "bench")]
                baseline = drive(bare_port, "/bare", None)
                results[page].append((drive(app_port, path, cookie), baseline))
    finally:
        stop(bare)
        stop(counsel)
    return results


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def report(advisers: int, results: dict[str, list[tuple[Result, Result]]]) -> bool:
    """Print each page's median rate, p99 and share of the bare page's rate over the rounds."""
    share_target, p99_target = TARGETS[advisers]
    bare = sorted(b.rate for rounds in results.values() for _r, b in rounds)
    print(f"bare Flask page, 50 rows: {median(bare):.1f} req/s (median of {len(bare)} runs, "
          f"{bare[0]:.0f}–{bare[-1]:.0f}); pages: medians of {ROUNDS} rounds")  # fmt: skip
    width = max(len(page) for page in results)
    print(f"{'page':<{width}} {'req/s':>8} {'p99 ms':>8} {'of bare':>8}  target")
    passed = True
    for page, rounds in results.items():
        rate = median(r.rate for r, _b in rounds)
        p99 = median(r.p99_ms for r, _b in rounds)
        share = median(r.rate / b.rate for r, b in rounds)
        errors = sum(r.errors for r, _b in rounds)
        ok = share >= share_target and not errors
        ok = ok and (p99_target is None or p99 < p99_target)
        passed = passed and ok
        note = "" if not errors else f" ({errors} failed responses)"
        print(f"{page:<{width}} {rate:>8.1f} {p99:>8.1f} {share:>8.0%}  "
              f"{'ok' if ok else 'MISSED'}{note}")  # fmt: skip
    return passed


def main() -> int:
    if shutil.which("wrk") is None:
        print("throughput: wrk is not installed (apt-get install wrk); skipped")
        return 0
    passed = True
    with tempfile.TemporaryDirectory() as folder:
        for advisers, years, matters in SIZES:
            results = measure(advisers, years, matters, Path(folder))
            passed = report(advisers, results) and passed
    print("\nall targets met" if passed else "\nsome targets missed")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
