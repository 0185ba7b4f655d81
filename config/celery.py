"""The Celery app (DESIGN.md "Jobs"): Redis is the broker; with no REDIS_URL every task runs at once.

Settings are Django's, under the CELERY_ prefix (config/settings.py). `make worker` and `make beat` start
the two processes (README "后台任务"). BEAT_SCHEDULE below is the one list of every periodic job: a new
one is added here, with the task it runs and its own idempotency test.
"""

import os

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("haitang")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks live in <app>/tasks.py.
app.autodiscover_tasks()

# Times are Asia/Shanghai (CELERY_TIMEZONE). Every job may run twice, or late, and change nothing more.
BEAT_SCHEDULE = {
    # Notifications still pending (broker down when they were written, mail server failing): hand them
    # to a worker again once their next attempt is due (members/notify.py).
    "notifications-sweep": {"task": "members.tasks.sweep_notifications", "schedule": 60.0},
    # Stored counters against their rows; differences go to the superusers' 站内信.
    "reconcile-nightly": {
        "task": "projects.tasks.reconcile_and_report",
        "schedule": crontab(hour=2, minute=30),
    },
    # One reminder per booking of tomorrow, to its organiser.
    "booking-reminders": {
        "task": "services.tasks.remind_tomorrows_bookings",
        "schedule": crontab(hour=18, minute=0),
    },
    # A confirmed booking with nobody checked in 15 minutes after its start frees its room (未到场).
    "release-no-shows": {"task": "services.tasks.release_no_shows", "schedule": 300.0},
    # django-axes keeps a row per login; older than AXES_LOG_RETENTION_DAYS they are dropped.
    "prune-login-logs": {"task": "members.tasks.prune_login_logs", "schedule": crontab(hour=3, minute=15)},
    # 每月评优: the month just ended is frozen on the 1st (points posted late in the night included).
    "freeze-monthly-ranking": {
        "task": "members.tasks.freeze_last_month_ranking",
        "schedule": crontab(day_of_month=1, hour=0, minute=30),
    },
    # Reward reservations not collected by their deadline (REDEMPTION_HOLD_DAYS) give points and stock back.
    "expire-redemptions": {"task": "members.tasks.expire_redemptions", "schedule": crontab(minute=10)},
    # Imports whose worker died (no progress for IMPORT_JOB_STALL_MINUTES) are failed and their owner
    # told; finished imports' uploaded files are deleted (sites/import_jobs.py: sweep).
    "import-jobs-sweep": {"task": "sites.tasks.sweep_import_jobs", "schedule": 300.0},
    # 需求清单: a published need whose wished-by date passed with nothing claimed leaves the board.
    "expire-needs": {"task": "services.tasks.expire_past_needs", "schedule": crontab(hour=0, minute=20)},
    # 督办: demands past their deadline marked 超期 and escalated a working day later; resolved demands
    # unrated for 7 days closed (services/tasks.py).
    "demand-deadlines": {"task": "services.tasks.check_demand_deadlines", "schedule": crontab(minute="*/15")},
}
app.conf.beat_schedule = BEAT_SCHEDULE


# Task counts for /metrics (config/metrics.py): every task that finished, failed or was retried.
@signals.task_success.connect
def _count_success(sender=None, **kwargs):
    _record(sender, "succeeded")


@signals.task_failure.connect
def _count_failure(sender=None, **kwargs):
    _record(sender, "failed")


@signals.task_retry.connect
def _count_retry(sender=None, **kwargs):
    _record(sender, "retried")


def _record(task, state):
    from config.metrics import record_task

    record_task(getattr(task, "name", str(task)), state)
