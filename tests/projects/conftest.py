import pytest
from django.test import Client

from members.models import Role
from tests.factories import CommunityFactory, StaffFactory, TownFactory


@pytest.fixture
def town(db):
    return TownFactory(name="虎丘街道")


@pytest.fixture
def community(town):
    return CommunityFactory(name="嘉业阳光城社区", parent=town)


@pytest.fixture
def community_staff(community):
    return StaffFactory(role=Role.COMMUNITY_STAFF, area=community, first_name="小红", last_name="王")


@pytest.fixture
def street_staff(town):
    return StaffFactory(role=Role.STREET_STAFF, area=town, first_name="建国", last_name="李")


@pytest.fixture
def other_street_staff(db):
    return StaffFactory(role=Role.STREET_STAFF, area=TownFactory(name="枫桥街道"))


def client_for(user):
    client = Client()
    client.force_login(user)
    return client
