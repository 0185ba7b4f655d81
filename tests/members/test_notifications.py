"""The notification outbox (members/notify.py): written with its cause, delivered once, never lost."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from members import notify
from members.models import Channel, Notification, NotificationPreference, NotificationStatus
from services.booking import book_venue
from tests.factories import StaffFactory, UserFactory, VenueFactory, local, next_weekday

pytestmark = pytest.mark.django_db


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP 服务器拒绝连接")


def book(organizer, hour=10):
    return book_venue(
        venue=VenueFactory(), organizer=organizer, start=local(next_weekday(), hour),
        end=local(next_weekday(), hour + 1), title="主题党日", purpose="other", attendees=5,
        contact_phone="13812345678", group_name="组",
    )  # fmt: skip


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("members.tasks.deliver_notification.delay", refuse)


def email_of(booking):
    return Notification.objects.get(key=f"booking:{booking.pk}:{booking.status}", channel=Channel.EMAIL)


def test_with_the_broker_down_a_booking_succeeds_and_is_mailed_exactly_once_by_the_sweep(
    broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    organizer = UserFactory(email="org@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(organizer)
    assert booking.pk and mail.outbox == []
    email = email_of(booking)
    assert (email.status, email.attempts) == (NotificationStatus.PENDING, 0)
    inbox = Notification.objects.get(key=email.key, channel=Channel.INBOX)
    assert inbox.status == NotificationStatus.SENT  # the 站内信 is there at once
    monkeypatch.undo()  # the broker is back; tasks run eagerly in tests
    assert notify.sweep() == 0  # not due yet: the request's own enqueue may still arrive
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert notify.sweep() == 1
        assert notify.sweep() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=30)):
        notify.sweep()
    assert notify.deliver(email.pk) is False  # a late duplicate task sends nothing
    assert [m.to for m in mail.outbox] == [["org@example.com"]]
    assert mail.outbox[0].subject == "场馆预约已确认：主题党日"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (NotificationStatus.SENT, 1)


def test_with_the_mail_server_failing_it_is_retried_with_backoff_and_not_lost(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.members.test_notifications.FailingEmailBackend"
    organizer = UserFactory(email="org@example.com")
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(organizer)
    email = email_of(booking)
    assert (email.status, email.attempts) == (NotificationStatus.PENDING, 1)
    assert "拒绝连接" in email.last_error
    waits = []
    for minutes in (1, 2, 4):
        assert email.next_attempt_at - start >= dt.timedelta(minutes=minutes)
        waits.append(email.next_attempt_at)
        start = email.next_attempt_at
        with time_machine.travel(email.next_attempt_at + dt.timedelta(seconds=1)):
            assert notify.sweep() == 1
        email.refresh_from_db()
        assert email.status == NotificationStatus.PENDING
    assert email.attempts == 4
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(email.next_attempt_at + dt.timedelta(seconds=1)):
        assert notify.sweep() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, len(mail.outbox)) == (NotificationStatus.SENT, 5, 1)


def test_after_the_last_attempt_it_is_marked_failed_and_the_sweep_leaves_it(settings):
    settings.EMAIL_BACKEND = "tests.members.test_notifications.FailingEmailBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    user = UserFactory(email="a@example.com")
    [email] = notify.notify(
        recipient=user, template="booking_status", context={}, key="k", channels=["email"]
    )
    assert notify.deliver(email.pk) is False
    assert notify.deliver(email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (NotificationStatus.FAILED, 2, None)
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert notify.sweep() == 0


def test_one_row_per_key_and_channel_whatever_the_calls():
    user = UserFactory(email="a@example.com", phone="13812345678")
    NotificationPreference.objects.create(user=user, email=True, sms=True)
    for _ in range(3):
        notify.notify(recipient=user, template="booking_status", context={"title": "x"}, key="same")
    assert sorted(Notification.objects.filter(key="same").values_list("channel", flat=True)) == [
        "email",
        "inbox",
        "sms",
    ]


def test_channels_follow_the_users_choice_and_addresses(sms_outbox, django_capture_on_commit_callbacks):
    no_address = UserFactory(email="", phone="")
    notify.notify(recipient=no_address, template="booking_status", context={}, key="a")
    assert list(Notification.objects.filter(key="a").values_list("channel", flat=True)) == ["inbox"]
    texter = UserFactory(email="t@example.com", phone="13812345678")
    NotificationPreference.objects.create(user=texter, email=False, sms=True)
    context = {"title": "活动", "notice": "已确认", "venue": "道前社区 · 一楼", "span": "5月1日 10:00–11:00"}
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify(recipient=texter, template="booking_status", context=context, key="b")
    assert sms_outbox == [
        ("13812345678", "场馆预约已确认：活动。活动：活动；场地：道前社区 · 一楼；时间：5月1日 10:00–11:00")
    ]
    assert mail.outbox == []


def test_retry_delay_doubles_up_to_a_day():
    assert [notify.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert notify.retry_delay(40) == dt.timedelta(days=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_both_send_one_notification():
    user = UserFactory(email="a@example.com")
    rows = [
        notify.notify(recipient=user, template="booking_status", context={}, key=f"k{i}", channels=["email"])[
            0
        ]
        for i in range(5)
    ]
    mail.outbox.clear()  # eager delivery on commit already sent them once: put them back to pending
    Notification.objects.update(status=NotificationStatus.PENDING, attempts=0)
    threads, results = 8, []
    barrier = threading.Barrier(threads)

    def work():
        try:
            barrier.wait()
            results.extend(notify.deliver(row.pk) for row in rows)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert results.count(True) == 5 and len(mail.outbox) == 5
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


# --- 站内信 and 我的 -----------------------------------------------------------------------------------


def test_each_user_sees_only_their_own_inbox_and_marks_it_read(client, django_assert_num_queries):
    me, other = UserFactory(), UserFactory()
    for i in range(3):
        notify.notify(
            recipient=me,
            template="booking_status",
            context={"title": f"我的{i}", "notice": "已确认"},
            key=f"m{i}",
        )
    notify.notify(recipient=other, template="booking_status", context={"title": "别人的"}, key="o")
    client.force_login(me)
    # session, user, header counts (待办 + unread), page count, page rows
    with django_assert_num_queries(5):
        page = client.get(reverse("members:inbox"))
    text = page.content.decode()
    assert "我的2" in text and "别人的" not in text and 'aria-label="3 条未读"' in text
    theirs = Notification.objects.get(key="o")
    mine = Notification.objects.get(key="m0")
    client.post(reverse("members:inbox-read"), {"pk": theirs.pk})
    client.post(reverse("members:inbox-read"), {"pk": mine.pk})
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is None and mine.read_at is not None
    assert 'aria-label="2 条未读"' in client.get(reverse("sites:home")).content.decode()
    client.post(reverse("members:inbox-read"), {"pk": "abc"})
    assert Notification.objects.unread_of(me).count() == 2
    client.post(reverse("members:inbox-read"))
    assert Notification.objects.unread_of(me).count() == 0


def test_the_preferences_form_offers_only_channels_the_account_has_an_address_for(client):
    user = UserFactory(email="me@example.com", phone="")
    client.force_login(user)
    page = client.get(reverse("members:me")).content.decode()
    assert "发到 me@example.com" in page and "账号未填写手机号" in page
    assert 'name="sms" disabled' in page and 'id="id_email" checked' in page
    client.post(reverse("members:me"), {"sms": "on"})  # a tampered post can't turn on the disabled one
    assert NotificationPreference.objects.get(user=user).channels_for(user) == ["inbox"]
    user.phone = "13812345678"
    user.save()
    client.post(reverse("members:me"), {"email": "on", "sms": "on"})
    assert NotificationPreference.objects.get(user=user).channels_for(user) == ["inbox", "email", "sms"]


def test_inbox_and_me_need_a_login(client):
    for name in ("members:inbox", "members:me"):
        assert client.get(reverse(name)).status_code == 302
    assert client.get(reverse("members:inbox-read")).status_code == 302


def test_the_outbox_admin_is_read_only_for_superusers_with_constant_queries(
    admin_client, client, django_assert_num_queries
):
    for i in range(30):
        notify.notify(
            recipient=UserFactory(), template="booking_status", context={"title": f"t{i}"}, key=f"a{i}"
        )
    url = reverse("admin:members_notification_changelist")
    # session, user, the page's rows with their recipients, and the count (the subject is rendered from
    # the row; no template filter, whose choices were file names)
    with django_assert_num_queries(4):
        assert admin_client.get(url).status_code == 200
    assert admin_client.get(reverse("admin:members_notification_add")).status_code == 403
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 403
