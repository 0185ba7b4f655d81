"""Each periodic job on the beat schedule: what it does, and that running it twice changes nothing more."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core import mail
from django.utils import timezone

from config.celery import BEAT_SCHEDULE, app
from members.models import Notification, NotificationStatus
from members.tasks import prune_login_logs, sweep_notifications
from projects.tasks import reconcile_and_report
from services.models import BookingStatus
from services.tasks import release_no_shows, remind_tomorrows_bookings
from sites import reconcile as registry
from tests.factories import BookingFactory, UserFactory, local

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_names_a_registered_task():
    app.loader.import_default_modules()
    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} <= set(app.tasks)
    assert set(BEAT_SCHEDULE) == {
        "notifications-sweep",
        "reconcile-nightly",
        "booking-reminders",
        "prune-login-logs",
        "freeze-monthly-ranking",
        "expire-redemptions",
        "import-jobs-sweep",
        "release-no-shows",
        "expire-needs",
        "demand-deadlines",
    }


@time_machine.travel(dt.datetime(2026, 5, 6, 18, 0, tzinfo=dt.UTC), tick=False)  # 02:00 on 7 May in Shanghai
def test_booking_reminders_go_once_per_confirmed_booking_of_tomorrow(django_capture_on_commit_callbacks):
    organizer = UserFactory(email="org@example.com")
    tomorrow = dt.date(2026, 5, 8)
    reminded = [
        BookingFactory(organizer=organizer, start=local(tomorrow, 0, 30), end=local(tomorrow, 1, 30)),
        BookingFactory(organizer=organizer, start=local(tomorrow, 23), end=local(tomorrow, 23, 30)),
    ]
    BookingFactory(organizer=organizer, start=local(tomorrow, 9), status=BookingStatus.CANCELLED)
    BookingFactory(organizer=organizer, start=local(tomorrow, 11), status=BookingStatus.PENDING)
    BookingFactory(organizer=organizer, start=local(dt.date(2026, 5, 9), 0, 0))
    BookingFactory(organizer=organizer, start=local(dt.date(2026, 5, 7), 23, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_tomorrows_bookings() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_tomorrows_bookings() == 2
    keys = set(Notification.objects.filter(channel="inbox").values_list("key", flat=True))
    assert keys == {f"booking:{b.pk}:reminder" for b in reminded}
    assert len(mail.outbox) == 2 and mail.outbox[0].subject == f"明天的场馆预约：{reminded[0].title}"


def test_the_sweep_task_delivers_what_is_due_and_nothing_twice():
    user = UserFactory(email="a@example.com")
    Notification.objects.create(
        recipient=user, channel="email", template="booking_status", context={"title": "x"}, key="k",
        next_attempt_at=timezone.now() - dt.timedelta(minutes=1),
    )  # fmt: skip
    assert sweep_notifications() == 1
    assert sweep_notifications() == 0
    assert len(mail.outbox) == 1 and Notification.objects.get().status == NotificationStatus.SENT


def test_reconcile_reports_differences_to_each_active_superuser_once_a_day(
    django_capture_on_commit_callbacks,
):
    admins = [UserFactory(is_superuser=True, email="root@example.com"), UserFactory(is_superuser=True)]
    UserFactory(is_superuser=True, is_active=False)
    UserFactory(email="staff@example.com")
    assert reconcile_and_report() == 0
    assert not Notification.objects.exists()

    @registry.register("tests.off_by_one", label="测试计数")
    def off_by_one():
        yield registry.Difference("测试记录（#1）", "数量", 3, 2)

    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert reconcile_and_report() == 1
            assert reconcile_and_report() == 1
    finally:
        registry._checks.pop("tests.off_by_one")
    inbox = Notification.objects.filter(channel="inbox").order_by("recipient")
    assert [n.recipient for n in inbox] == admins
    assert "测试计数：测试记录（#1）：数量记录为 3，按明细应为 2" in inbox[0].body
    assert "1 处不一致" in inbox[0].subject
    assert [m.to for m in mail.outbox] == [["root@example.com"]]


def test_login_logs_older_than_the_retention_are_pruned(settings):
    settings.AXES_LOG_RETENTION_DAYS = 30
    old, recent = timezone.now() - dt.timedelta(days=31), timezone.now() - dt.timedelta(days=29)
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        extra = {"failures_since_start": 1} if model is AccessAttempt else {}
        for n, when in enumerate((old, recent)):
            row = model.objects.create(username=f"u{n}", ip_address="10.0.0.1", user_agent="t", **extra)
            model.objects.filter(pk=row.pk).update(attempt_time=when)
    assert prune_login_logs() == {"accesslog": 1, "accessfailurelog": 1, "accessattempt": 1}
    assert prune_login_logs() == {"accesslog": 0, "accessfailurelog": 0, "accessattempt": 0}
    assert [m.objects.count() for m in (AccessLog, AccessFailureLog, AccessAttempt)] == [1, 1, 1]


def test_no_show_release_frees_each_unattended_booking_once(time_machine):
    """The job's rules are tested in tests/services/test_checkin.py; here: scheduled, and idempotent."""
    booking = BookingFactory()
    time_machine.move_to(booking.start + dt.timedelta(minutes=16))
    assert release_no_shows.delay().get() == 1
    assert release_no_shows.delay().get() == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    assert Notification.objects.filter(key=f"booking:{booking.pk}:no_show").count() >= 1
