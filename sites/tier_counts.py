"""The 四级阵地体系 at a glance: how many 中心/站/点 lie in each sub-area's whole subtree.

One GROUP BY over the sites, keyed by the first characters of each site's area path: all children of
an area have paths of the same length, so that prefix names the child a site lies under (a site on
the parent area itself has a shorter path and falls in the parent's own group).
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr

from .models import PATH_STEP, SiteTier


@dataclass(frozen=True)
class TierCount:
    center: int = 0
    station: int = 0
    point: int = 0

    @property
    def total(self):
        return self.center + self.station + self.point

    def __add__(self, other):
        return TierCount(self.center + other.center, self.station + other.station, self.point + other.point)


def count_by_child(sites, parent_depth):
    """{area path prefix: TierCount} for `sites` grouped under the areas one level below `parent_depth`."""
    length = (parent_depth + 1) * PATH_STEP
    rows = (
        sites.order_by()
        .annotate(prefix=Substr("area__path", 1, length))
        .values("prefix")
        .annotate(**{tier: Count("pk", filter=Q(tier=tier)) for tier in SiteTier.values})
    )
    return {row.pop("prefix"): TierCount(**row) for row in rows}


def tally(sites, children, parent_depth):
    """([(child, TierCount)] for each child area, the TierCount of the sites on the parent area itself,
    the TierCount of all `sites` together). A community's own 党群服务站 belongs to no grid: without the
    second figure its grids' rows would read 0 under a total of 2."""
    counts = count_by_child(sites, parent_depth)
    rows = [(child, counts.pop(child.path, TierCount())) for child in children]
    own = sum(counts.values(), TierCount())
    return rows, own, sum((count for _child, count in rows), own)


def pioneer_tally(sites):
    """[(tier label, sites, of them 先锋阵地)] for each tier of `sites`: one query."""
    terms = {}
    for tier in SiteTier.values:
        terms[tier] = Count("pk", filter=Q(tier=tier))
        terms[f"{tier}_pioneer"] = Count("pk", filter=Q(tier=tier, pioneer_batch__isnull=False))
    row = sites.order_by().aggregate(**terms)
    return [(label, row[tier], row[f"{tier}_pioneer"]) for tier, label in SiteTier.choices]
