"""The nightly `reconcile` as a periodic job (config/celery.py's BEAT_SCHEDULE); it sits in projects for
the same reason as the command: this app sees every app's checks."""

from celery import shared_task
from django.utils import timezone

from members.models import User
from members.notify import notify
from sites.reconcile import checks

SHOWN = 200  # differences listed in one message; the rest are counted ("…共 N 处")


@shared_task
def reconcile_and_report():
    """Run every reconcile check; when any counter differs, tell each active superuser (站内信, and the
    channels they chose). One report per superuser per day: a second run that night sends nothing more.
    Returns the number of differences."""
    differences = [f"{check.label}：{d}" for check in checks() for d in check.run()]
    if not differences:
        return 0
    date = timezone.localdate().isoformat()
    context = {"date": date, "differences": differences[:SHOWN], "total": len(differences)}
    for superuser in User.objects.filter(is_superuser=True, is_active=True):
        notify(
            recipient=superuser, template="reconcile_differences", context=context, key=f"reconcile:{date}"
        )
    return len(differences)
