"""Party members and volunteers of an area's subtree month by month (the area dashboard's 党员与志愿者
section): one query per family (reportings, volunteers, points). The points come from the communities'
monthly roll-up (PointsMonth, kept with the ledger by members/points.py): the same sums as the entries
give, without adding up a city's two million entries a year."""

from sites.monthly import Measure, monthly

from .models import CommunityReporting, PointsMonth, Volunteer

REPORTING = Measure(
    "reported",
    "在职党员报到",
    "月末仍在本区域村/社区报到（报到日期不晚于月末、尚未结束或结束在月末之后）的在职党员人数。",
    "人",
    "since",
    dates=True,
    until="until",
    stock=True,
)
VOLUNTEERS = Measure(
    "volunteers",
    "志愿者",
    "月末已登记、服务社区在本区域的志愿者人数（累计）。",
    "人",
    "registered_at",
    stock=True,
)
POINTS = Measure(
    "points",
    "获得积分",
    "当月记入积分流水的“获得”积分之和（服务记录审核通过、活动签到等）；兑换、冲正和过期不扣减。",
    "分",
    "month",
    dates=True,
    total="earned",
)


def member_months(area, year):
    """[Series] 在职党员报到, 志愿者, 获得积分 of `area`'s subtree in `year`."""
    return [
        *monthly(CommunityReporting.objects.within(area), year, [REPORTING]),
        *monthly(Volunteer.objects.within(area), year, [VOLUNTEERS]),
        *monthly(PointsMonth.objects.within(area), year, [POINTS]),
    ]
