"""The points each sign-up earned, read from the ledger (one query): the entry is the record, so no copy
of the amount is stored next to the sign-up for `reconcile` to watch."""

from members.models import PointsEntry

from .activities import attendance_source


def with_points(signups):
    """Give each sign-up `points_earned` (its attendance's points, or None); returns them as a list.

    Points follow the check-in, so only checked-in sign-ups are looked up (none: no query)."""
    signups = list(signups)
    for signup in signups:
        signup.points_earned = None
    sources = {attendance_source(s): s for s in signups if s.checked_in_at}
    if sources:
        for source, amount in PointsEntry.objects.filter(source__in=sources).values_list("source", "amount"):
            sources[source].points_earned = amount
    return signups
