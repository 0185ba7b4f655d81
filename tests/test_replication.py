"""Read replicas against real PostgreSQL streaming replication (runs with the PostgreSQL suite).

The fixture starts a primary and a hot standby of its own (initdb, pg_basebackup -R) on two free ports
in a temporary directory, as the postgres OS user when we are root (initdb refuses root), and removes
them afterwards; the machine's own server is not touched. The scenario runs in a child process whose
settings point DATABASE_URL at the primary and DATABASE_REPLICA_URLS at the standby: the map API reads
from the standby, a booking writes to the primary and then shows on both.
"""

import contextlib
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "haitang_replication"


def _bin_dir():
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all(os.access(f"{candidate}/{tool}", os.X_OK) for tool in ("initdb", "pg_basebackup", "pg_ctl")):
            return candidate
    return None


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A primary and its standby under one temporary directory."""

    def __init__(self, bin_dir):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="haitang-replication-"))
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.primary_port, self.standby_port = _free_port(), _free_port()
        self.started = []

    def run(self, tool, *args):
        command = [f"{self.bin_dir}/{tool}", *map(str, args)]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def _start(self, data, port):
        settings = f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n"
        with open(data / "postgresql.auto.conf", "a") as conf:
            conf.write(settings)
        self.run("pg_ctl", "-D", data, "-l", self.root / f"{data.name}.log", "-w", "-t", "60", "start")
        self.started.append(data)

    def start(self):
        primary, standby = self.root / "primary", self.root / "standby"
        self.run("initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nfsync = off\n")
        self._start(primary, self.primary_port)
        self.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres", "-D", standby, "-R"
        )
        self._start(standby, self.standby_port)  # -R wrote standby.signal and primary_conninfo

    def url(self, port):
        return f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"

    def stop(self):
        for data in reversed(self.started):
            with contextlib.suppress(subprocess.CalledProcessError):  # already gone: removed either way
                self.run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip(
            "initdb/pg_basebackup not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        )
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
        primary = ("-h", "127.0.0.1", "-p", cluster.primary_port, "-U", "postgres")
        cluster.run("psql", *primary, "-c", f"CREATE DATABASE {DATABASE}")
        yield cluster
    finally:
        cluster.stop()


def _child(cluster, code):
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url(cluster.primary_port),
        "DATABASE_REPLICA_URLS": cluster.url(cluster.standby_port),
        "REPLICA_STICKY_SECONDS": "0",  # so the booking's author reads the map from the standby again
    }
    run = subprocess.run(
        [sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-4000:]
    return run.stdout


def test_the_map_reads_from_the_standby_while_a_booking_lands_on_the_primary(cluster):
    _child(cluster, ["manage.py", "migrate", "--no-input", "--verbosity", "0"])
    out = _child(cluster, ["-c", "from tests.test_replication import scenario; scenario()"])
    result = json.loads(out.strip().splitlines()[-1])
    assert result["standby_in_recovery"] is True and result["primary_in_recovery"] is False
    assert result["map_status"] == 200 and result["map_count"] == 1
    assert result["map_queries"]["replica1"] > 0 and result["map_queries"]["default"] == 0
    assert result["booking_status"] == 201
    assert result["booking_queries_on_standby"] == 0
    assert result["booking_on_primary"] is True and result["booking_on_standby"] is True


def _wait_for(check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def scenario():
    """Run in the child process, with DATABASE_URL and DATABASE_REPLICA_URLS set (see above)."""
    import django

    django.setup()
    import datetime as dt

    from django.db import connections
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from services.models import Booking
    from sites.models import Site
    from tests.factories import UserFactory, VenueFactory, local, next_weekday

    def in_recovery(alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            return cursor.fetchone()[0]

    venue = VenueFactory()  # written to the primary (with its community, town, district and city)
    organizer = UserFactory()
    assert _wait_for(lambda: Site.objects.using("replica1").filter(pk=venue.site_id).exists())

    client = APIClient()
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections["replica1"]) as on_standby,
    ):
        answer = client.get("/api/sites/")
    result = {
        "standby_in_recovery": in_recovery("replica1"),
        "primary_in_recovery": in_recovery("default"),
        "map_status": answer.status_code,
        "map_count": answer.json()["count"] if answer.status_code == 200 else None,
        "map_queries": {"default": len(on_primary), "replica1": len(on_standby)},
    }

    client.force_login(organizer)
    monday = next_weekday(0)
    with CaptureQueriesContext(connections["replica1"]) as on_standby:
        booked = client.post(
            "/api/bookings/",
            {
                "venue": venue.pk,
                "start": local(monday, 9).isoformat(),
                "end": (local(monday, 9) + dt.timedelta(hours=1)).isoformat(),
                "title": "三会一课",
                "purpose": "three_meetings",
                "attendees": 8,
                "contact_phone": "13812345678",
                "group_name": "第二党小组",
            },
            format="json",
        )
    result["booking_status"] = booked.status_code
    result["booking_queries_on_standby"] = len(on_standby)
    booking_id = booked.json().get("id")
    result["booking_on_primary"] = Booking.objects.using("default").filter(pk=booking_id).exists()
    result["booking_on_standby"] = _wait_for(
        lambda: Booking.objects.using("replica1").filter(pk=booking_id).exists()
    )
    print(json.dumps(result))
