import datetime as dt
from decimal import Decimal

import pytest

from members.models import CommunityReporting, Role
from tests.factories import (
    CommunityFactory,
    DemandCategoryFactory,
    GridFactory,
    MemberFactory,
    OrganizationFactory,
    ResidentFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
)


@pytest.fixture
def town(db):
    return TownFactory(name="苏锦街道")


@pytest.fixture
def community(town):
    return CommunityFactory(
        name="启发广场社区", parent=town, latitude=Decimal("31.330000"), longitude=Decimal("120.620000")
    )


@pytest.fixture
def grid(community):
    return GridFactory(
        name="第一网格", parent=community, latitude=Decimal("31.331000"), longitude=Decimal("120.621000")
    )


@pytest.fixture
def staff(community):
    return StaffFactory(role=Role.COMMUNITY_STAFF, area=community, first_name="小王")


@pytest.fixture
def street_staff(town):
    return StaffFactory(role=Role.STREET_STAFF, area=town, first_name="街道老李")


@pytest.fixture
def resident(community, grid):
    return ResidentFactory(community=community, grid=grid, name="李阿姨")


@pytest.fixture
def category(db):
    return DemandCategoryFactory(name="设施维修", deadline_days=3)


@pytest.fixture
def organization(community):
    return OrganizationFactory(area=community, name="启发广场社区党支部")


def reported_member(community, organization, name="苏会"):
    """A party member with an account who reported (报到) to `community`."""
    member = MemberFactory(name=name, organization=organization)
    member.user = UserFactory(role=Role.MEMBER, username=f"member-{member.pk}")
    member.save(update_fields=["user"])
    CommunityReporting.objects.create(member=member, community=community, since=dt.date(2024, 1, 1))
    return member


@pytest.fixture
def member(community, organization):
    return reported_member(community, organization)
