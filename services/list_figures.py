"""The 需求清单 in an area's subtree month by month (the area dashboard's 三张清单 section): one query over
the needs, one over the claims."""

from django.db.models import Q

from sites.monthly import Measure, monthly

from .list_models import DONE_CLAIM_STATUSES, LIVE_CLAIM_STATUSES, Claim, Need

NEED_MEASURES = [
    Measure(
        "published",
        "发布需求",
        "发布时间在当月的需求条数（草稿不计；发布后撤回、关闭的仍计入发布当月）。",
        "条",
        "published_at",
        where=Q(published_at__isnull=False),
    ),
]
CLAIM_MEASURES = [
    Measure(
        "claimed",
        "认领",
        "认领时间在当月、仍有效（待确认、实施中、已完成、已评价）的认领次数，单位认领需求与社区认领资源都计；"
        "婉拒和撤回的不计。",
        "次",
        "created_at",
        where=Q(status__in=LIVE_CLAIM_STATUSES),
    ),
    Measure(
        "fulfilled",
        "完成",
        "完成日期在当月、状态为已完成或已评价的认领次数。",
        "次",
        "completed_on",
        where=Q(status__in=DONE_CLAIM_STATUSES),
        dates=True,
    ),
]


def list_months(area, year):
    """[Series] 发布需求, 认领, 完成 of the communities in `area`'s subtree in `year`."""
    return [
        *monthly(Need.objects.within(area), year, NEED_MEASURES),
        *monthly(Claim.objects.filter(community__path__startswith=area.path), year, CLAIM_MEASURES),
    ]
