"""A real Celery worker against the machine's Redis (CI has one at 127.0.0.1:6379) delivers a notification.

Everything else in the suite runs tasks eagerly; this test alone starts `celery worker` as a subprocess
on REDIS_TEST_URL (default database 5) and a queue of its own, pointed at the test database, and stops
it afterwards whatever happens. Every wait has a deadline, so a broken worker fails the test, never hangs it.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from kombu.exceptions import OperationalError

from members.models import Notification, NotificationStatus
from services.booking import book_venue
from tests.factories import UserFactory, VenueFactory, local, next_weekday

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker():
    """A Celery client on Redis; skipped (failed on CI) when Redis is not running."""
    # Not the current app: the rest of the suite's tasks must go on running eagerly in this process.
    client = Celery(broker=REDIS_TEST_URL, set_as_current=False)
    try:
        client.connection_for_write().ensure_connection(max_retries=1, timeout=3)
    except OperationalError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}")
    return client


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_booking_made_with_the_worker_stopped_is_notified_once_the_worker_starts(
    broker, tmp_path, monkeypatch
):
    queue = f"test-{uuid.uuid4().hex}"
    # This process runs tasks eagerly; here the booking's on_commit sends its task to Redis instead, as
    # the web process does with REDIS_URL set.
    monkeypatch.setattr(
        "members.tasks.deliver_notification.delay",
        lambda pk: broker.send_task("members.tasks.deliver_notification", args=[pk], queue=queue),
    )
    organizer = UserFactory(email="org@example.com")
    started = time.monotonic()
    booking = book_venue(
        venue=VenueFactory(), organizer=organizer, start=local(next_weekday(), 10),
        end=local(next_weekday(), 11), title="后台任务测试", purpose="other", attendees=5,
        contact_phone="13812345678", group_name="组",
    )  # fmt: skip
    assert time.monotonic() - started < 2  # no worker, no mail server in the request
    notification = Notification.objects.get(key=f"booking:{booking.pk}:confirmed", channel="email")
    assert notification.status == NotificationStatus.PENDING
    # The same task sent again (a sweep, a redelivery): still one e-mail.
    broker.send_task("members.tasks.deliver_notification", args=[notification.pk], queue=queue)
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "REDIS_URL": REDIS_TEST_URL,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    command = [
        *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue),
        *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"),
    ]
    with log.open("w") as out:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            sent = Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENT)
            done = wait_for(sent.exists, 60)
            assert done, log.read_text()
            assert wait_for(lambda: log.read_text().count("succeeded") >= 2, 20), log.read_text()
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)
            with broker.connection_for_write() as conn:
                conn.default_channel.queue_delete(queue)
                # kombu's bookkeeping of the queue's bindings, so nothing of this run stays in Redis.
                client = conn.default_channel.client
                client.delete(*client.keys(f"_kombu.binding*{queue}") or ["-"])
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 1)
    assert "Subject:" in log.read_text()  # the console mail backend printed the one e-mail
    assert log.read_text().count("Subject:") == 1
