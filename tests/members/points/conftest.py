import pytest
from django.test import Client

from members.models import Role
from tests.factories import (
    CommunityFactory,
    PointRuleFactory,
    StaffFactory,
    TownFactory,
    VolunteerFactory,
)


@pytest.fixture
def town(db):
    return TownFactory(name="娄葑街道")


@pytest.fixture
def community(town):
    return CommunityFactory(name="红管社区", parent=town)


@pytest.fixture
def community_staff(community):
    return StaffFactory(role=Role.COMMUNITY_STAFF, area=community, first_name="小红", last_name="王")


@pytest.fixture
def other_staff(db):
    return StaffFactory(role=Role.COMMUNITY_STAFF, area=CommunityFactory(name="别的社区"))


@pytest.fixture
def volunteer(community):
    return VolunteerFactory(community=community, name="张三明")


@pytest.fixture
def rule(community):
    return PointRuleFactory(name="志愿服务", points_per_unit=10)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def city_staff(db):
    """City-wide rules are set by superusers: no staff role is scoped to the whole city."""
    return StaffFactory(is_superuser=True, role=Role.DISTRICT_ADMIN, area=None, username="city-admin")
