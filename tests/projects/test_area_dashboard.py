"""区域看板 /areas/<id>/dashboard/: every section's figures against counts written out by hand for a small
fixture (two communities in two districts, a year of rows in a few months), scoping, a bad year, and the
page's query count: the same for a community and for the city (one query per figure family)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.models import CommunityReporting, EntryKind, Role
from members.points import post_entry
from projects.area_dashboard import sections
from projects.models import FundLedgerEntry, LedgerKind
from services.models import (
    BookingStatus,
    Claim,
    ClaimDirection,
    ClaimStatus,
    DemandStatus,
    Evaluation,
    Rating,
)
from sites.models import SiteTier
from tests.factories import (
    BookingFactory,
    CityFactory,
    CommitteeTermFactory,
    CommunityFactory,
    CommunityFundFactory,
    DemandFactory,
    MeetingFactory,
    MemberFactory,
    NeedFactory,
    OrganizationFactory,
    ProjectFactory,
    SiteFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
    local,
)

pytestmark = pytest.mark.django_db

YEAR = 2025


def at(month, day=10, hour=10):
    return local(dt.date(YEAR, month, day), hour)


@pytest.fixture
def world():
    """C1 (the community looked at) and C2 (in another district: counted for the city only)."""
    city = CityFactory()
    c1 = CommunityFactory(name="一号社区", latitude=Decimal("31.300000"), longitude=Decimal("120.600000"))
    c2 = CommunityFactory(name="二号社区", latitude=Decimal("31.400000"), longitude=Decimal("120.700000"))
    CommunityFactory(name="无位置社区")  # no centre, no boundary: 尚无位置, for the city only
    # Sites: C1 a station (a 先锋阵地) and a point; C2 a station; an inactive one counts nowhere.
    s1 = SiteFactory(
        area=c1, tier=SiteTier.STATION, pioneer_batch=1, latitude="31.301000", longitude="120.600000"
    )
    SiteFactory(area=c1, tier=SiteTier.POINT, latitude="31.302000", longitude="120.601000")
    s2 = SiteFactory(area=c2, tier=SiteTier.STATION, latitude="31.400500", longitude="120.700000")
    SiteFactory(area=c2, tier=SiteTier.CENTER, is_active=False, latitude="31.4", longitude="120.7")
    return {"city": city, "c1": c1, "c2": c2, "s1": s1, "s2": s2}


def _month(series, key):
    return next(s for s in series if s.key == key).values


def by_key(area):
    return {s.key: s for s in sections(area, YEAR)}


def test_bookings_month_by_month(world):
    v1, v2 = VenueFactory(site=world["s1"]), VenueFactory(site=world["s2"])
    BookingFactory(venue=v1, start=at(3, 3), end=at(3, 3) + dt.timedelta(hours=1))
    BookingFactory(venue=v1, start=at(3, 4), end=at(3, 4) + dt.timedelta(hours=2, minutes=30))
    BookingFactory(venue=v1, start=at(3, 5), status=BookingStatus.NO_SHOW, released_at=at(3, 5, 11))
    BookingFactory(venue=v1, start=at(3, 6), status=BookingStatus.CANCELLED)
    BookingFactory(venue=v2, start=at(4, 1))
    BookingFactory(venue=v1, start=local(dt.date(YEAR + 1, 1, 1), 10))  # next year: not counted
    c1 = by_key(world["c1"])["bookings"].series
    assert _month(c1, "bookings") == [0, 0, 2] + [0] * 9
    assert _month(c1, "hours")[2] == 3.5
    assert _month(c1, "no_shows") == [0, 0, 1] + [0] * 9
    city = by_key(world["city"])["bookings"].series
    assert _month(city, "bookings")[:4] == [0, 0, 2, 1]
    assert [s.total for s in city] == [3, 4.5, 1]


def test_funds_from_the_ledger(world):
    by = UserFactory(is_superuser=True)
    for community, rows in [
        (world["c1"], [(2, LedgerKind.COMMIT, "50000.00"), (5, LedgerKind.EXPENSE, "12000.50"),
                       (5, LedgerKind.RELEASE, "1000.00")]),
        (world["c2"], [(2, LedgerKind.COMMIT, "30000.00")]),
    ]:  # fmt: skip
        fund = CommunityFundFactory(community=community, year=YEAR)
        project = ProjectFactory(community=community, year=YEAR)
        for month, kind, amount in rows:
            with time_machine.travel(at(month), tick=False):
                FundLedgerEntry.objects.create(fund=fund, project=project, kind=kind, amount=amount, by=by)
    c1 = by_key(world["c1"])["funds"].series
    assert _month(c1, "committed")[1] == Decimal("50000.00")
    assert _month(c1, "spent")[4] == Decimal("12000.50")
    assert _month(c1, "released")[4] == Decimal("1000.00")
    city = by_key(world["city"])["funds"].series
    assert [s.total for s in city] == [Decimal("80000.00"), Decimal("1000.00"), Decimal("12000.50")]


def test_needs_claims_and_fulfilment(world):
    with time_machine.travel(at(2), tick=False):
        need = NeedFactory(community=world["c1"])
        NeedFactory(community=world["c2"])
    NeedFactory(community=world["c1"], publish=False)  # a draft: not published
    rows = [
        (3, ClaimStatus.IN_PROGRESS, None),
        (3, ClaimStatus.DECLINED, None),  # not a live claim (its reason below)
        (4, ClaimStatus.COMPLETED, dt.date(YEAR, 6, 2)),
    ]
    for month, status, completed_on in rows:
        with time_machine.travel(at(month), tick=False):
            Claim.objects.create(
                direction=ClaimDirection.NEED,
                need=need,
                organization=UnitFactory(),  # one live claim per unit and need
                community=world["c1"],
                claimed_by=UserFactory(),
                quantity=1,
                status=status,
                decline_reason="本月人手不足" if status == ClaimStatus.DECLINED else "",
                completed_on=completed_on,
            )
    c1 = by_key(world["c1"])["lists"].series
    assert _month(c1, "published") == [0, 1] + [0] * 10
    assert _month(c1, "claimed") == [0, 0, 1, 1] + [0] * 8
    assert _month(c1, "fulfilled") == [0] * 5 + [1] + [0] * 6
    assert by_key(world["city"])["lists"].series[0].total == 2


def test_demand_rates_per_month(world):
    past = at(3, 20)
    with time_machine.travel(at(3), tick=False):
        staff = StaffFactory(area=world["c1"])
        done, rejected, open_late = (
            DemandFactory(
                resident=None,
                community=world["c1"],
                by=staff,
                contact_name="张三",
                contact_phone="13812345678",
            )
            for _ in range(3)
        )
    type(done).objects.filter(pk=done.pk).update(
        status=DemandStatus.RESOLVED, deadline=past, resolved_at=at(3, 15), accepted_at=at(3, 11)
    )
    type(done).objects.filter(pk=rejected.pk).update(status=DemandStatus.REJECTED)
    type(done).objects.filter(pk=open_late.pk).update(
        status=DemandStatus.ACCEPTED, deadline=past, accepted_at=at(3, 11)
    )
    for rating in (Rating.SATISFIED, Rating.DISSATISFIED):
        Evaluation.objects.create(demand=done, round=0 if rating == Rating.SATISFIED else 1, rating=rating,
                                  by=UserFactory(), at=at(3, 16))  # fmt: skip
    c1 = by_key(world["c1"])["demands"].series
    assert _month(c1, "received") == [0, 0, 3] + [0] * 9
    assert all(type(v) is int for v in _month(c1, "received"))  # a count, printed as 3, not 3.0
    # 办结率 1 ÷ (3 − 1 不予受理); 按时办结率 1 ÷ (1 办结 + 1 超期未办); 满意率 1 ÷ 2 评价
    assert _month(c1, "resolved_rate")[2] == 50.0
    assert _month(c1, "on_time_rate")[2] == 50.0
    assert _month(c1, "satisfaction")[2] == 50.0
    assert _month(c1, "resolved_rate")[3] is None  # no demand in April: no rate, not 0
    totals = {s.key: s.total for s in c1}
    assert totals == {"received": 3, "resolved_rate": 50.0, "on_time_rate": 50.0, "satisfaction": 50.0}


def test_members_volunteers_and_points(world):
    org = OrganizationFactory(area=world["c1"])
    for since, until in [(dt.date(YEAR - 1, 5, 1), None), (dt.date(YEAR, 3, 15), dt.date(YEAR, 6, 30)),
                         (dt.date(YEAR, 7, 1), None)]:  # fmt: skip
        member = MemberFactory(organization=org)
        CommunityReporting.objects.create(member=member, community=world["c1"], since=since, until=until)
    with time_machine.travel(at(2), tick=False):
        v1 = VolunteerFactory(community=world["c1"])
    with time_machine.travel(at(8), tick=False):
        VolunteerFactory(community=world["c2"])
    earn, redeem = EntryKind.EARN, EntryKind.REDEEM
    entries = [(4, earn, 20), (4, earn, 5), (4, redeem, -10), (9, earn, 7)]
    with transaction.atomic():
        for n, (month, kind, amount) in enumerate(entries):
            post_entry(volunteer=v1, kind=kind, amount=amount, source=f"test-{n}", at=at(month))
    c1 = by_key(world["c1"])["members"].series
    # Jan–Feb 1; Mar–May 2 (the second from 15 March); June 1 (it ended on 30 June); July on 2.
    assert _month(c1, "reported") == [1, 1, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2]
    assert _month(c1, "volunteers") == [0] + [1] * 11
    assert _month(c1, "points")[3] == 25 and _month(c1, "points")[8] == 7
    city = {s.key: s.total for s in by_key(world["city"])["members"].series}
    assert city == {"reported": 2, "volunteers": 2, "points": 32}


def test_meetings_and_terms(world):
    org = OrganizationFactory(area=world["c1"])
    other = OrganizationFactory(area=world["c2"])
    MeetingFactory(organization=org, kind="party_lecture", start=at(3))
    MeetingFactory(organization=org, kind="party_lecture", start=at(3, 20), status="planned")  # not held
    MeetingFactory(organization=org, kind="committee_meeting", start=at(5))
    MeetingFactory(organization=other, kind="committee_meeting", start=at(5))
    today = timezone.localdate()
    CommitteeTermFactory(organization=org, elected_on=dt.date(2019, 1, 1))  # due 2022: overdue
    CommitteeTermFactory(
        organization=other, elected_on=today.replace(year=today.year - 3) + dt.timedelta(days=30)
    )
    c1 = by_key(world["c1"])["meetings"]
    assert _month(c1.series, "party_lecture") == [0, 0, 1] + [0] * 9
    assert _month(c1.series, "committee_meeting")[4] == 1
    assert [(f.label, f.value) for f in c1.facts] == [("即将届满", 0), ("已超期未换届", 1)]
    city = by_key(world["city"])["meetings"]
    assert _month(city.series, "committee_meeting")[4] == 2
    assert [f.value for f in city.facts] == [1, 1]


def test_sites_and_coverage(world):
    c1 = by_key(world["c1"])
    assert [(f.label, f.value) for f in c1["sites"].facts] == [
        ("党群服务中心", 0), ("党群服务站", 1), ("党群服务点", 1), ("先锋阵地", 1)
    ]  # fmt: skip
    city = by_key(world["city"])
    assert [f.value for f in city["sites"].facts] == [0, 2, 1, 1]
    # Both located communities have a site within 1 km; the third has no location: out of the rate.
    assert [(f.label, f.value) for f in city["coverage"].facts] == [
        ("覆盖率", 100.0), ("已覆盖", 2), ("未覆盖", 0), ("尚无位置", 1)
    ]  # fmt: skip


# --- the page -----------------------------------------------------------------------------------------


def page(client, area, **params):
    return client.get(reverse("projects:area-dashboard", args=[area.pk]), params)


def test_staff_see_their_area_and_below_only(client, world):
    street_staff = StaffFactory(area=world["c1"].parent, role=Role.STREET_STAFF)
    client.force_login(street_staff)
    assert page(client, world["c1"], year=YEAR).status_code == 200
    assert page(client, world["c1"].parent, year=YEAR).status_code == 200
    assert page(client, world["c2"], year=YEAR).status_code == 404  # another district's community
    assert page(client, world["city"], year=YEAR).status_code == 404  # above their area


def test_residents_and_visitors_are_kept_out(client, world):
    response = page(client, world["c1"])
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory(role=Role.RESIDENT))
    assert page(client, world["c1"]).status_code == 403


@pytest.mark.parametrize("year", ["abc", "1999", "20255", "-1", "²⁰²⁵", "١٢"])
def test_bad_year_is_a_chinese_400(client, world, year):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = page(client, world["c1"], year=year)
    assert response.status_code == 400
    assert "年度" in response.content.decode()


def test_an_area_id_past_any_row_is_a_404(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/areas/{2**64}/dashboard/").status_code == 404


def test_page_shows_every_section_with_table_and_definitions(client, world):
    v1 = VenueFactory(site=world["s1"])
    BookingFactory(venue=v1, start=at(3, 3), end=at(3, 3) + dt.timedelta(hours=1))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = page(client, world["city"], year=YEAR).content.decode()
    for title in ["阵地（中心/站/点）", "场馆使用", "为民服务专项经费", "需求清单与认领", "居民诉求",
                  "在职党员与志愿者", "组织生活（三会一课）", "15分钟辐射圈"]:  # fmt: skip
        assert title in html
    assert html.count("<svg") == 8 and html.count('class="dash-table"') == 6
    assert "开始时间在当月、状态为“已确认”的活动室预约场次" in html  # a definition beside its figure
    assert "<style" not in html and " style=" not in html  # CSP: no inline styles


def test_query_count_is_the_same_for_a_community_and_the_city(client, world, django_assert_num_queries):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page(client, world["c1"], year=YEAR)  # warm the session and caches
    counts = {}
    for name in ("c1", "city"):
        with django_assert_num_queries(QUERIES) as captured:
            assert page(client, world[name], year=YEAR).status_code == 200
        counts[name] = len(captured)
    assert counts["c1"] == counts["city"]


# session, user, the header's 待办, area, its chain, its children; sites 1; bookings 1; funds 1; lists 2;
# demands 2; members 3; meetings 1 + terms 1; coverage 2 (the communities, the sites near them)
QUERIES = 6 + 1 + 1 + 1 + 2 + 2 + 3 + 2 + 2


def test_my_dashboard_opens_the_staff_members_own_area(client, world):
    client.force_login(StaffFactory(area=world["c1"]))
    response = client.get(reverse("projects:my-area-dashboard"))
    assert response["Location"] == reverse("projects:area-dashboard", args=[world["c1"].pk])
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("projects:my-area-dashboard"))
    assert response["Location"] == reverse("projects:area-dashboard", args=[world["city"].pk])


def test_a_year_ahead_shows_dashes_not_zeros(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    ahead = timezone.localdate().year + 1
    series = [s for section in sections(world["c1"], ahead) for s in section.series]
    assert series and all(v is None for s in series for v in s.values)
    assert page(client, world["c1"], year=ahead).status_code == 200
