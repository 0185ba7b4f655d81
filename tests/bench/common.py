"""What every benchmark shares: city-scale data, a real gunicorn, latency statistics, the report.

Benchmarks measure; they never assert. `make bench` runs every `tests/bench/bench_*.py` module's
`run(bench)` and writes the figures to bench-results/latest.md (copy them into the README).
"""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results"


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Benchmarks never touch the development database unless told to.
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench.sqlite3'}")
    django.setup()


def ensure_city_data():
    """Build `seed_demo --scale city` data once; later runs reuse it."""
    from django.core.management import call_command

    from sites.models import Site

    call_command("migrate", verbosity=0)
    if Site.objects.count() < 5000:
        started = time.perf_counter()
        call_command("seed_demo", scale="city")
        print(f"city-scale data built in {time.perf_counter() - started:.0f} s")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(workers=2, app="config.wsgi"):
    """A production-like gunicorn serving the project (or another WSGI module, `app`) on a free port."""
    port = _free_port()
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/schema/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def latency(url, *, n=40, warmup=3, headers=None):
    """Median and 95th-percentile milliseconds of `n` sequential GETs (after `warmup` unmeasured)."""
    timings, status, size = [], None, 0
    for i in range(warmup + n):
        request = urllib.request.Request(url, headers=headers or {})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                size, status = len(response.read()), response.status
        except urllib.error.HTTPError as error:  # a 304 arrives as an HTTPError
            status = error.code
        if i >= warmup:
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        "status": status,
        "bytes": size,
    }


def timed(work, n=10):
    """Median and 95th-percentile milliseconds of `n` in-process calls of `work`."""
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"median_ms": statistics.median(timings), "p95_ms": timings[min(n - 1, int(n * 0.95))]}


def session_cookie(user):
    """A logged-in session for `user`, so gunicorn serves a page as it would to them."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def queries_for(path, *, user=None, headers=None):
    """How many SQL queries one request to `path` makes, counted in-process with Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(**(headers or {}))
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    return len(ctx.captured_queries)


class Bench:
    """Collects rows of figures and writes them as one Markdown table."""

    def __init__(self):
        from django.db import connection

        self.rows = []
        self.database = connection.vendor

    def row(self, what, *, median_ms, p95_ms, queries=None, note=""):
        self.rows.append((what, median_ms, p95_ms, queries, note))
        q = "" if queries is None else f", {queries} queries"
        print(f"{what}: median {median_ms:.1f} ms, p95 {p95_ms:.1f} ms{q} {note}")

    def write(self):
        RESULTS.mkdir(exist_ok=True)
        lines = [
            f"Database: {self.database}; machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}",
            "",
            "| what | median | p95 | queries | note |",
            "|---|---|---|---|---|",
        ]
        for what, median, p95, queries, note in self.rows:
            lines.append(
                f"| {what} | {median:.1f} ms | {p95:.1f} ms | {'' if queries is None else queries} | {note} |"
            )
        (RESULTS / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"\nwritten to {RESULTS / 'latest.md'}")
