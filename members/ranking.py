"""每月评优: each community's and street's top volunteers of a month, by points earned, frozen once.

`freeze_month` writes the snapshot (MonthlyRanking rows, with when) after the month has closed and is
idempotent: a second call, or two at once (the unique line per area, month and volunteer), leaves the
first snapshot as it is. What counts is the points *earned* (kind earn) posted in the month, in
Asia/Shanghai time; a later reversal or rule change never alters a frozen list.

A periodic job (Celery beat, on the 1st of each month) calls `freeze_month` for the month just ended;
`manage.py freeze_month` does the same by hand.
"""

import datetime
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from sites.models import AreaLevel

from .errors import Refusal
from .models import EntryKind, MonthlyRanking, PointsEntry


def month_span(year, month):
    """The month's first instant and the next month's, as aware datetimes in the project's time zone."""
    start = datetime.datetime(year, month, 1)
    following = datetime.datetime(year + month // 12, month % 12 + 1, 1)
    return timezone.make_aware(start), timezone.make_aware(following)


def previous_month(today=None):
    today = today or timezone.localdate()
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.year, last.month


def freeze_month(year, month, *, now=None):
    """Freeze the month's lists; returns how many lines were written (0 when already frozen)."""
    now = now or timezone.now()
    start, end = month_span(year, month)
    if end > now:
        raise Refusal(f"{year}年{month}月尚未结束，月末之后才能生成评优名单。", kind=Refusal.INVALID)
    if MonthlyRanking.objects.filter(year=year, month=month).exists():
        return 0
    earned = (
        PointsEntry.objects.filter(kind=EntryKind.EARN, at__gte=start, at__lt=end)
        .values_list("volunteer", "volunteer__name", "volunteer__community", "volunteer__community__parent")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    rows = list(earned)
    size = settings.RANKING_SIZE
    lines = []
    # Community lists (the volunteer's community), then street lists (the community's parent).
    for area_index in (2, 3):
        rows.sort(key=lambda row: (row[area_index], -row[4], row[0]))
        for area_id, group in groupby(rows, key=lambda row: row[area_index]):
            for rank, (volunteer_id, name, *_, total) in enumerate(list(group)[:size], start=1):
                lines.append(
                    MonthlyRanking(
                        year=year,
                        month=month,
                        area_id=area_id,
                        rank=rank,
                        volunteer_id=volunteer_id,
                        name=name,
                        points=total,
                        frozen_at=now,
                    )
                )
    with transaction.atomic():
        written = MonthlyRanking.objects.bulk_create(lines, ignore_conflicts=True, batch_size=2000)
    return len(written)


def rankings_for(area, year, month):
    """The frozen lists to show for `area`: its own (community or street), or its streets' (district,
    city). One query, ordered by list and rank."""
    lists = MonthlyRanking.objects.filter(year=year, month=month).select_related("area")
    if area.level in (AreaLevel.COMMUNITY, AreaLevel.TOWN):
        lists = lists.filter(area=area)
    else:
        lists = lists.filter(area__level=AreaLevel.TOWN, area__path__startswith=area.path)
    return lists.order_by("area__path", "rank")


def latest_frozen_month():
    line = MonthlyRanking.objects.order_by("-year", "-month").values_list("year", "month").first()
    return line or previous_month()
