"""Notifications through the transactional outbox (DESIGN.md section 4 and "Jobs").

`notify` writes one `Notification` row per channel in the caller's transaction, so a booking and the
message about it commit (or roll back) together, and asks a worker to deliver each once the transaction
has committed. When the broker is down that request is lost, never the row: `sweep` (every minute on the
beat schedule) hands each pending row whose attempt is due to a worker again.

`deliver` claims a row by a conditional UPDATE pending → sent before it sends, so two workers given the
same row (the sweep and the first request, or a task run twice) send it once: at most once per key. A
failed send puts the row back to pending with the next attempt 1, 2, 4 … minutes later, and after
NOTIFICATION_MAX_ATTEMPTS marks it failed (the admin lists those). A worker that dies between the claim
and the send loses that one message: the price of never sending twice.
"""

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Channel, Notification, NotificationPreference, NotificationStatus
from .sms import send_sms

logger = logging.getLogger(__name__)


def preference_of(user):
    """The user's saved channel choice, or the defaults (an unsaved row) when they never chose."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def notify(*, recipient, template, context, key, channels=None):
    """Write a message to `recipient` from `template` and `context` (JSON values), once per `key` (its cause).

    `channels`: the channels to use, default the recipient's choice; a channel they have no address for
    (no e-mail, no phone) is left out. Call it inside the transaction of what causes the message. Writing
    the same key again writes nothing more. Returns the key's rows on those channels.
    """
    wanted = preference_of(recipient).channels_for(recipient)
    if channels is not None:
        wanted = [c for c in wanted if c in channels] or [Channel.INBOX]
    now = timezone.now()
    rows = [
        Notification(
            recipient=recipient,
            channel=channel,
            template=template,
            context=context,
            key=key,
            # The 站内信 is delivered by being written; the others wait for a worker, and for the sweep
            # after NOTIFICATION_SWEEP_MINUTES if the worker never hears of them.
            status=NotificationStatus.SENT if channel == Channel.INBOX else NotificationStatus.PENDING,
            sent_at=now if channel == Channel.INBOX else None,
            next_attempt_at=None if channel == Channel.INBOX else now + _sweep_delay(),
        )
        for channel in wanted
    ]
    # ON CONFLICT DO NOTHING: a second call with the key neither fails the caller's transaction nor
    # writes a second row.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    rows = list(Notification.objects.filter(recipient=recipient, key=key, channel__in=wanted))
    for row in rows:
        if row.status == NotificationStatus.PENDING:
            transaction.on_commit(partial(enqueue, row.pk))
    return rows


def enqueue(pk):
    """Ask a worker to deliver `pk` (at once, in this process, with no REDIS_URL)."""
    from .tasks import deliver_notification

    try:
        deliver_notification.delay(pk)
    except Exception:  # the broker is unreachable: kombu raises several kinds; the sweep sends it later
        logger.warning("通知 #%s 未能交给后台任务，将由定时补发", pk, exc_info=True)


def _sweep_delay():
    return dt.timedelta(minutes=settings.NOTIFICATION_SWEEP_MINUTES)


def retry_delay(attempts):
    """Minutes to wait after the `attempts`-th failure: 1, 2, 4, … (exponential backoff), at most a day."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 24 * 60))


def _send_email(notification):
    send_mail(notification.subject, notification.body, None, [notification.recipient.email])


def _send_sms(notification):
    # One line: a text message shows the subject first, then the body's lines joined.
    lines = "；".join(line.strip() for line in notification.body.splitlines() if line.strip())
    send_sms(notification.recipient.phone, f"{notification.subject}。{lines}")


SENDERS = {Channel.EMAIL: _send_email, Channel.SMS: _send_sms}


def deliver(pk):
    """Send notification `pk` if it is still pending; True when this call sent it."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=pk, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.SENT, sent_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False  # sent already, by another worker or an earlier run, or failed for good
    notification = Notification.objects.select_related("recipient").get(pk=pk)
    try:
        SENDERS[notification.channel](notification)
    except Exception as error:  # any failure of the mail server or SMS provider: keep it and retry later
        gave_up = notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        Notification.objects.filter(pk=pk).update(
            status=NotificationStatus.FAILED if gave_up else NotificationStatus.PENDING,
            sent_at=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=None if gave_up else now + retry_delay(notification.attempts),
        )
        logger.warning("通知 #%s 第 %s 次发送失败：%s", pk, notification.attempts, error)
        return False
    return True


def sweep(*, batch=1000):
    """Hand each pending notification whose attempt is due to a worker; returns how many.

    Idempotent: the next attempt moves on by NOTIFICATION_SWEEP_MINUTES first, so a run soon after finds
    nothing more, and a row handed over twice is still sent once (`deliver` claims it).
    """
    now = timezone.now()
    pks = list(Notification.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True)[:batch])
    Notification.objects.filter(pk__in=pks).update(next_attempt_at=now + _sweep_delay())
    for pk in pks:
        enqueue(pk)
    return len(pks)


def mark_read(*, user, pks=None):
    """Mark the user's 站内信 read: those in `pks`, or all. Another user's ids are ignored."""
    unread = Notification.objects.unread_of(user)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())


def set_preference(*, user, email, sms):
    NotificationPreference.objects.update_or_create(user=user, defaults={"email": email, "sms": sms})
