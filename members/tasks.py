"""The members app's Celery tasks: thin wrappers, the work is in members/notify.py and below."""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import notify, ranking, rewards


@shared_task
def deliver_notification(pk):
    return notify.deliver(pk)


@shared_task
def sweep_notifications():
    return notify.sweep()


@shared_task
def prune_login_logs():
    """Drop django-axes' login records older than AXES_LOG_RETENTION_DAYS (they name people and their
    addresses: PIPL's keep-no-longer-than-needed). A lockout counter that old is long past its cool-off.
    Returns how many rows went, by table; a second run finds none."""
    cutoff = timezone.now() - dt.timedelta(days=settings.AXES_LOG_RETENTION_DAYS)
    return {
        model._meta.model_name: model.objects.filter(attempt_time__lt=cutoff).delete()[0]
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    }


@shared_task
def freeze_last_month_ranking():
    """每月评优: freeze last month's lists (a month already frozen is left as it was)."""
    return ranking.freeze_month(*ranking.previous_month())


@shared_task
def expire_redemptions():
    """Reservations past their pick-up deadline give their points and stock back."""
    return rewards.expire_redemptions()
