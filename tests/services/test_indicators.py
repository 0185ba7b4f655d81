"""The co-building units' yearly indicators: each equals the count of the unit's records (党课 given at a
community of its street, hardship households linked, claims the community accepted), per year, with a
year's own N; the whole street at once in a fixed number of queries; the API and the agreement's
one-per-year rule."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from members.models import MeetingKind, MeetingStatus, Role
from services import claims, hardship, indicators
from services.indicator_models import CobuildingAgreement, Indicator, IndicatorTarget
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    NeedFactory,
    OrganizationFactory,
    ResourceFactory,
    StaffFactory,
    TownFactory,
    UnitFactory,
    UnitStaffFactory,
    default_indicators,
    local,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indicators_defined():
    default_indicators()


YEAR = timezone.localdate().year


@pytest.fixture
def street():
    return TownFactory(name="双塔街道")


@pytest.fixture
def community(street):
    return CommunityFactory(parent=street, name="沧浪亭社区")


@pytest.fixture
def unit(community):
    return UnitFactory(name="沧浪亭管理处党支部", area=community)


def results_of(unit, year=YEAR):
    (row,) = indicators.for_units(indicators.units_in(unit.paired_street, year).filter(pk=unit.pk), year)
    return {r.indicator.code: r for r in row.results}


def lecture(unit, host, start, **kwargs):
    return MeetingFactory(
        organization=host, kind=MeetingKind.PARTY_LECTURE, given_by=unit, start=start, **kwargs
    )


def test_lectures_are_the_held_party_lectures_the_unit_gave_in_its_street_that_year(unit, community, street):
    host = OrganizationFactory(area=community, name="沧浪亭社区党委")
    elsewhere = OrganizationFactory(area=CommunityFactory(), name="别的街道的社区党委")
    assert results_of(unit)["party-lecture"].state == indicators.State.NOT_STARTED

    counted = [
        lecture(unit, host, local(dt.date(YEAR, 3, 1), 9)),
        lecture(
            unit, OrganizationFactory(area=CommunityFactory(parent=street)), local(dt.date(YEAR, 6, 1), 9)
        ),
        lecture(
            unit,
            host,
            local(dt.date(YEAR, 7, 1), 9),
            status=MeetingStatus.RECORDED,
            recorded_at=timezone.now(),
        ),
    ]
    lecture(unit, elsewhere, local(dt.date(YEAR, 4, 1), 9))  # not in its street
    lecture(unit, host, local(dt.date(YEAR, 12, 30), 9), status=MeetingStatus.PLANNED)  # not held
    lecture(unit, host, local(dt.date(YEAR - 1, 12, 31), 23, 30))  # last year, in Shanghai time
    lecture(UnitFactory(area=community), host, local(dt.date(YEAR, 5, 1), 9))  # another unit's
    MeetingFactory(organization=host, kind=MeetingKind.GENERAL_MEETING, start=local(dt.date(YEAR, 5, 2), 9))

    result = results_of(unit)["party-lecture"]
    assert result.count == len(counted) == 3
    assert result.target == 1 and result.state == indicators.State.MET
    assert results_of(unit, YEAR - 1)["party-lecture"].count == 1


def test_lectures_follow_the_years_agreement_street(unit, community):
    """A unit paired elsewhere since still answers, for the year it signed, in the street it signed with."""
    host = OrganizationFactory(area=community)
    lecture(unit, host, local(dt.date(YEAR, 3, 1), 9))
    CobuildingAgreement.objects.create(
        organization=unit, street=community.parent, year=YEAR, signed_on=dt.date(YEAR, 1, 10)
    )
    unit.paired_street = TownFactory()
    unit.save()
    (row,) = indicators.for_units(indicators.units_in(community.parent, YEAR), YEAR)
    assert row.unit == unit and row.signed_on == dt.date(YEAR, 1, 10)
    assert {r.indicator.code: r.count for r in row.results}["party-lecture"] == 1


def link(unit, community, staff, name, started_on, **kwargs):
    return hardship.link_household(
        by=staff, organization=unit, community=community, household_name=name, address="十全街 1 号",
        situation="独居老人", started_on=started_on, phone="13812345678", **kwargs,
    )  # fmt: skip


def test_hardship_households_are_the_links_that_ran_that_year(unit, community):
    staff = StaffFactory(area=community)
    running = [
        link(unit, community, staff, "张某", dt.date(YEAR - 1, 5, 1)),
        link(unit, community, staff, "李某", dt.date(YEAR, 2, 1)),
    ]
    ended = link(unit, community, staff, "王某", dt.date(YEAR - 2, 1, 1))
    hardship.end_link(link=ended, by=staff, ended_on=dt.date(YEAR - 1, 12, 31))
    link(UnitFactory(area=community), community, staff, "赵某", dt.date(YEAR, 1, 1))  # another unit's

    result = results_of(unit)["hardship-households"]
    assert result.count == len(running) == 2
    assert result.target == 3 and result.state == indicators.State.BEHIND
    assert results_of(unit, YEAR - 1)["hardship-households"].count == 2  # 张某 and 王某
    link(unit, community, staff, "钱某", dt.date(YEAR, 6, 1))
    assert results_of(unit)["hardship-households"].state == indicators.State.MET


def test_claimed_projects_are_the_claims_of_the_year_the_community_accepted(unit, community):
    staff, unit_staff = StaffFactory(area=community), UnitStaffFactory(organization=unit)
    accepted = []
    for title in ("绿化修建", "健身步道"):
        claim = claims.claim_need(
            need=NeedFactory(community=community, by=staff, title=title), by=unit_staff, quantity=1
        )
        accepted.append(claims.accept_claim(claim=claim, by=staff))
    claims.claim_need(need=NeedFactory(community=community, by=staff), by=unit_staff, quantity=1)  # pending
    declined = claims.claim_need(need=NeedFactory(community=community, by=staff), by=unit_staff, quantity=1)
    claims.decline_claim(claim=declined, by=staff, reason="已另行安排")
    resource = ResourceFactory(organization=unit, by=unit_staff)
    other_way = claims.claim_resource(resource=resource, by=staff, community=community, quantity=2)
    accepted.append(claims.accept_claim(claim=other_way, by=unit_staff))

    result = results_of(unit)["claimed-projects"]
    assert result.count == len(accepted) == 3
    assert result.state == indicators.State.MET
    assert results_of(unit, YEAR - 1)["claimed-projects"].state == indicators.State.NOT_STARTED


def test_a_years_own_target_changes_only_that_year(unit, community):
    host = OrganizationFactory(area=community)
    lecture(unit, host, local(dt.date(YEAR, 3, 1), 9))
    lecture(unit, host, local(dt.date(YEAR - 1, 3, 1), 9))
    IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(code="party-lecture"), year=YEAR, at_least=2
    )
    assert results_of(unit)["party-lecture"].target == 2
    assert results_of(unit)["party-lecture"].state == indicators.State.BEHIND
    assert results_of(unit, YEAR - 1)["party-lecture"].state == indicators.State.MET


def test_one_agreement_per_unit_per_year(unit, street):
    CobuildingAgreement.objects.create(
        organization=unit, street=street, year=YEAR, signed_on=dt.date(YEAR, 1, 5)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CobuildingAgreement.objects.create(
            organization=unit, street=street, year=YEAR, signed_on=dt.date(YEAR, 2, 5)
        )
    CobuildingAgreement.objects.create(
        organization=unit, street=street, year=YEAR + 1, signed_on=dt.date(YEAR, 12, 1)
    )


def make_units(street, n):
    community = CommunityFactory(parent=street)
    staff = StaffFactory(area=community)
    for i in range(n):
        unit = UnitFactory(area=community)
        lecture(unit, OrganizationFactory(area=community), local(dt.date(YEAR, 3, 1), 9))
        link(unit, community, staff, f"住户{i}", dt.date(YEAR, 1, 2))


def test_all_units_at_once_in_two_queries(street, django_assert_num_queries):
    make_units(street, 2)
    with django_assert_num_queries(2):
        few = indicators.for_units(indicators.units_in(street, YEAR), YEAR)
    make_units(street, 8)
    with django_assert_num_queries(2):
        many = indicators.for_units(indicators.units_in(street, YEAR), YEAR)
    assert len(few) == 2 and len(many) == 10
    assert all([r.count for r in row.results] == [1, 1, 0] for row in many)


def street_staff(street):
    return StaffFactory(role=Role.STREET_STAFF, area=street)


def test_the_street_page_lists_every_unit_in_a_fixed_number_of_queries(
    client, street, django_assert_num_queries
):
    client.force_login(street_staff(street))
    make_units(street, 3)
    url = reverse("services:indicator-board")
    # session, user, their area, indicators, units with their counts, the header's 待办, the area choices
    with django_assert_num_queries(7) as few:
        response = client.get(url)
    make_units(street, 9)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-indicator="party-lecture"') == 12
    assert "已完成" in body and "未达标" in body and "未开展" in body


def test_the_city_sees_each_street_summed_up(client, street):
    make_units(street, 2)
    other = TownFactory(parent=street.parent, name="沧浪街道")
    make_units(other, 1)
    client.force_login(StaffFactory(role=Role.DISTRICT_ADMIN, area=street.parent))
    body = client.get(reverse("services:indicator-board")).content.decode()
    assert "双塔街道" in body and "沧浪街道" in body
    assert body.count("2 / 0 / 0") == 1  # 双塔: both units met the 党课 indicator
    assert "共 3 个共建单位" in body


def test_the_page_is_for_street_staff_and_above(client, street, community):
    client.force_login(StaffFactory(area=community))
    assert client.get(reverse("services:indicator-board")).status_code == 403
    client.force_login(street_staff(street))
    response = client.get(reverse("services:indicator-board"), {"area": TownFactory().pk})
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    response = client.get(reverse("services:indicator-board"), {"year": "abc"})
    assert response.status_code == 400 and "年度应填数字" in response.content.decode()


def test_api_gives_a_units_indicators_for_a_year(client, unit, community):
    lecture(unit, OrganizationFactory(area=community), local(dt.date(YEAR - 1, 3, 1), 9))
    client.force_login(street_staff(community.parent))
    url = reverse("services:api-unit-indicators", args=[unit.pk])
    body = client.get(url, {"year": YEAR - 1}).json()
    assert body["unit_name"] == unit.name and body["year"] == YEAR - 1
    assert [(i["code"], i["target"], i["count"], i["state"]) for i in body["indicators"]] == [
        ("party-lecture", 1, 1, "met"),
        ("hardship-households", 3, 0, "not_started"),
        ("claimed-projects", 1, 0, "not_started"),
    ]
    bad = client.get(url, {"year": "1999"})
    assert bad.status_code == 400 and "年度应在 2000 到 2100 之间" in bad.json()["year"][0]
    client.force_login(street_staff(TownFactory()))
    assert client.get(url).status_code == 404
    client.force_login(UnitStaffFactory(organization=unit))
    assert client.get(url).status_code == 200


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/units/{id}/indicators/"]["get"]
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["year"]
    assert "400" in operation["responses"] and "404" in operation["responses"]
