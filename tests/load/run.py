"""`make loadtest`: city data on PostgreSQL, gunicorn with Redis, then locust headless, three runs.

1. the real mix: LOAD_USERS (200) users pausing 1–5 s for LOAD_TIME (3m);
2. the same mix with no pause at LOAD_USERS connections: the saturated rate;
3. LOAD_BOOKERS (16) clients booking distinct free slots for LOAD_BOOKING_TIME: bookings/s, errors, and
   overlapping live bookings counted in the database afterwards (must be 0).

The server is gunicorn with LOAD_WORKERS (2) workers of LOAD_WORKER_CLASS (sync or gthread, with
LOAD_THREADS threads), stopped at the end whatever happens. Figures are printed as a Markdown table and
written to test-output/loadtest/ (with locust's CSV files), with the machine's load average beside them.
Run it from the repository with the virtual environment's python (the Makefile does).
"""

import csv
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
OUT = ROOT / "test-output" / "loadtest"


def setting(name, default):
    return os.environ.get(name) or default


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env):
    """Migrations, city data (timed), the load organisers, and the ids locust visits (a JSON file)."""
    manage("migrate", "--no-input", "--verbosity", "0", env=env)
    started = time.monotonic()
    manage("seed_demo", "--scale", "city", "--if-empty", env=env)
    seeded = time.monotonic() - started
    manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    targets("targets", env, args=[str(OUT / "targets.json")])
    return seeded


def start_server(env, port):
    worker_class = setting("LOAD_WORKER_CLASS", "sync")
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        setting("LOAD_WORKERS", "2"),
        "--worker-class",
        worker_class,
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    if worker_class == "gthread":
        # Idle keep-alive connections outlive a user's longest pause (5 s): a server closing one as the
        # client sends on it would show as a connection reset (config/deploy/gunicorn.conf.py: the same
        # with nginx's upstream keep-alive).
        command += ["--threads", setting("LOAD_THREADS", "4"), "--keep-alive", "10"]
    with open(OUT / "gunicorn.log", "w") as log:  # the child keeps its own copy of the descriptor
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    for _ in range(60):
        if server.poll() is not None:  # it never answers: the port is taken or the settings are wrong
            break
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"gunicorn did not become ready; see {OUT / 'gunicorn.log'}")


def free_port():
    """A port nothing listens on now, so the load never goes to someone else's server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def targets(command, env, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "tests.load.targets", command, *kwargs.pop("args", [])],
        cwd=ROOT,
        env=env,
        check=True,
        **kwargs,
    )


def locust(name, classes, users, duration, env, port, pause):
    # One set of CSV files per run and server configuration, so a series of runs keeps them all.
    prefix = OUT / f"{setting('LOAD_WORKERS', '2')}-{setting('LOAD_WORKER_CLASS', 'sync')}-{name}"
    targets("clean", env)  # the slots each run books are free
    subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "tests" / "load" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, int(users) // 10)),
            "--run-time",
            duration,
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            *classes,
        ],
        cwd=ROOT,
        env={**env, "LOAD_TARGETS": str(OUT / "targets.json"), "LOAD_PAUSE": "1" if pause else "0"},
        check=False,  # locust exits 1 when any request failed; the figures say so
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return rows


def overlaps(env):
    run = targets("overlaps", env, capture_output=True, text=True)
    return int(run.stdout.strip().splitlines()[-1])


def row(label, stats):
    total = stats["Aggregated"]
    return (
        f"| {label} | {total['50%']} ms | {total['95%']} ms | {total['99%']} ms "
        f"| {float(total['Requests/s']):.1f} | {total['Failure Count']} of {total['Request Count']} |"
    )


def ensure_database(url):
    """CREATE DATABASE when the load database does not exist yet (connecting to `postgres` first)."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    port = setting("LOAD_PORT", str(free_port()))
    env = {
        **os.environ,
        "DATABASE_URL": setting("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haitang_load"),
        "REDIS_URL": setting("REDIS_URL", "redis://127.0.0.1:6379/6"),
        # The API's per-user write budget protects production; here 16 clients book as fast as they can.
        "API_WRITE_RATE": setting("API_WRITE_RATE", "1000000/minute"),
        "LOGIN_FAILURE_LIMIT": "100000",
    }
    if not env["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("make loadtest measures PostgreSQL: set DATABASE_URL=postgres://…")
    users, duration = setting("LOAD_USERS", "200"), setting("LOAD_TIME", "3m")
    bookers, booking_time = setting("LOAD_BOOKERS", "16"), setting("LOAD_BOOKING_TIME", "1m")
    runs = setting("LOAD_RUNS", "mix,saturated,booking").split(",")

    ensure_database(env["DATABASE_URL"])
    seeded = prepare(env)
    server = start_server(env, port)
    lines = []
    try:
        if "mix" in runs:
            stats = locust("mix", ["Resident", "Organiser"], users, duration, env, port, pause=True)
            lines.append(row(f"mix, {users} users pausing 1–5 s, {duration}", stats))
        if "saturated" in runs:
            stats = locust("saturated", ["Resident", "Organiser"], users, duration, env, port, pause=False)
            lines.append(row(f"mix, {users} connections, no pause, {duration}", stats))
        if "booking" in runs:
            stats = locust("booking", ["Booker"], bookers, booking_time, env, port, pause=False)
            booked = stats.get("/api/bookings/ (POST)", {})
            rate = float(booked.get("Requests/s", 0) or 0)
            lines.append(row(f"booking, {bookers} clients, {booking_time}", stats))
            errors = f"{booked.get('Failure Count')} of {booked.get('Request Count')}"
            lines.append(
                f"| → bookings | {booked.get('50%')} ms | {booked.get('95%')} ms | {booked.get('99%')} ms "
                f"| **{rate:.1f} bookings/s** | {errors}; overlaps in the database: **{overlaps(env)}** |"
            )
    finally:
        stop_server(server)
    with open("/proc/loadavg") as loadavg:
        load = " ".join(loadavg.read().split()[:3])
    worker_class = setting("LOAD_WORKER_CLASS", "sync")
    threads = f" × {setting('LOAD_THREADS', '4')} threads" if worker_class == "gthread" else ""
    header = (
        f"gunicorn {setting('LOAD_WORKERS', '2')} {worker_class} workers{threads}; city data "
        f"(seed_demo --scale city: {seeded:.0f} s, 0 when already loaded); load average after: {load}"
    )
    report = "\n".join(
        [header, "", "| run | p50 | p95 | p99 | req/s | errors |", "|---|---|---|---|---|---|", *lines]
    )
    print(report)
    with open(OUT / "report.md", "a", encoding="utf-8") as out:
        out.write(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n{report}\n")


if __name__ == "__main__":
    main()
