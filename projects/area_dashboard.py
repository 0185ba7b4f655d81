"""One area's dashboard (区域看板, issue 18 item 5): every app's figures for the area's subtree, composed here
at the top (DESIGN.md §2: projects may import every app) from one function per app, each answering in a
fixed number of queries whatever the area's size. Staff only: at a city's size most sections read a year
of their ledger (the demands and the meetings: seconds, not milliseconds; the points come from a monthly
roll-up), too dear for a public page that turns over with each booking.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from members.area_figures import member_months
from members.compliance import TERM_DEFINITIONS, meeting_months, term_counts
from services.booking_figures import booking_months
from services.demand_figures import demand_months
from services.list_figures import list_months
from sites import bar_chart
from sites.coverage import coverage
from sites.models import Site
from sites.monthly import MONTHS
from sites.tier_counts import pioneer_tally

from .fund_months import fund_months

MONTH_LABELS = [f"{m}月" for m in MONTHS]


@dataclass
class Fact:
    """A figure that is not month by month (what stands today): its value, unit and definition."""

    label: str
    value: object
    unit: str
    doc: str


@dataclass
class Section:
    key: str
    title: str
    series: list = field(default_factory=list)  # sites.monthly.Series, month by month
    facts: list = field(default_factory=list)  # Fact
    charted: tuple = ()  # the keys of the series drawn (one unit per chart); all of them when empty
    note: str = ""
    link: tuple = ()  # (label, url) of the page with the detail

    @property
    def chart(self):
        if self.series:
            drawn = [s for s in self.series if not self.charted or s.key in self.charted]
            return bar_chart.columns(
                [str(m) for m in MONTHS],
                [(s.label, s.values) for s in drawn],
                percent=drawn[0].rate,
                caption="、".join(s.label for s in drawn) + f"（{drawn[0].unit}，按月）",
            )
        return bar_chart.rows([(f.label, f.value) for f in self.facts if f.unit != "%"])

    @property
    def month_rows(self):
        """The table under the chart: (month label, [value per series]) for each month."""
        return [(label, [s.shown(s.values[i]) for s in self.series]) for i, label in enumerate(MONTH_LABELS)]


def sites_section(area):
    tiers = pioneer_tally(Site.objects.active().within(area))
    facts = [Fact(label, n, "个", f"本区域（含下级）启用中的{label}。") for label, n, _ in tiers]
    facts.append(
        Fact(
            "先锋阵地",
            sum(p for _, _, p in tiers),
            "个",
            "其中已命名为“海棠花红”先锋阵地（有命名批次）的中心、站、点之和。"
            + "".join(f"{label} {p} 个；" for label, _, p in tiers),
        )
    )
    return Section(
        "sites",
        "阵地（中心/站/点）",
        facts=facts,
        note="阵地不记建成日期，这里是当前数量。",
        link=("阵地列表", reverse("sites:area-detail", args=[area.pk])),
    )


def coverage_section(area):
    figure = coverage(area)
    rate = round(figure.rate * 100, 1) if figure.rate is not None else None
    return Section(
        "coverage",
        "15分钟辐射圈",
        facts=[
            Fact("覆盖率", rate, "%", "1 公里（直线，步行约 15 分钟）内有启用阵地的 ÷ 有位置的村/社区。"),
            Fact("已覆盖", figure.covered, "个", "1 公里内有启用阵地的村/社区。"),
            Fact("未覆盖", figure.located - figure.covered, "个", "有位置、1 公里内没有启用阵地的村/社区。"),
            Fact("尚无位置", figure.unlocated, "个", "既无中心点也无边界、无法计算的村/社区，不计入覆盖率。"),
        ],
        link=("未覆盖的村/社区", f"{reverse('sites:coverage')}?area={area.pk}"),
    )


def meetings_section(area, year):
    terms = term_counts(area)
    return Section(
        "meetings",
        "组织生活（三会一课）",
        series=meeting_months(area, year),
        facts=[Fact(label, terms[key], "个", doc) for key, (label, doc) in TERM_DEFINITIONS.items()],
        link=("组织生活落实情况", f"{reverse('members:compliance-list')}?area={area.pk}&year={year}"),
    )


def _demand_link(area, year):
    return ("诉求统计", f"{reverse('services:demand-figures')}?area={area.pk}&year={year}")


# The month-by-month sections: (key, title, the app's function, the series drawn, link or None).
MONTHLY = [
    ("bookings", "场馆使用", booking_months, ("bookings", "no_shows"), None),
    ("funds", "为民服务专项经费", fund_months, (), None),
    ("lists", "需求清单与认领", list_months, (), None),
    ("demands", "居民诉求", demand_months, ("resolved_rate", "on_time_rate", "satisfaction"), _demand_link),
    ("members", "在职党员与志愿者", member_months, ("reported", "volunteers"), None),
]


def _monthly_section(spec, area, year):
    key, title, figures, charted, link = spec
    link = link(area, year) if link else ()
    return Section(key, title, series=figures(area, year), charted=charted, link=link)


def sections(area, year):
    """Every section of `area`'s dashboard for `year`, in page order."""
    return [
        sites_section(area),
        *(_monthly_section(spec, area, year) for spec in MONTHLY),
        meetings_section(area, year),
        coverage_section(area),
    ]
