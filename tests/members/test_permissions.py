"""One permission vocabulary: User.can_manage(area) and the role checks built on it."""

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Role
from tests.factories import CommunityFactory, StaffFactory, TownFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    town = TownFactory(name="双塔街道")
    return town, CommunityFactory(name="道前社区", parent=town), CommunityFactory(name="别处社区")


def test_can_manage_follows_the_scope(tree):
    town, community, elsewhere = tree
    street = StaffFactory(role=Role.STREET_STAFF, area=town)
    assert street.can_manage(town) and street.can_manage(community)
    assert not street.can_manage(elsewhere)
    assert street.can_manage()  # manages somewhere: staff pages and the admin
    organizer = UserFactory()
    assert not organizer.can_manage() and not organizer.can_manage(community)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert superuser.can_manage(elsewhere) and superuser.is_area_staff


def test_acts_as_needs_the_role_and_the_area(tree):
    town, community, elsewhere = tree
    street = StaffFactory(role=Role.STREET_STAFF, area=town)
    assert street.acts_as(Role.STREET_STAFF, community)
    assert not street.acts_as(Role.COMMUNITY_STAFF, community)
    assert not street.acts_as(Role.STREET_STAFF, elsewhere)
    assert UserFactory(is_superuser=True).acts_as(Role.COMMUNITY_STAFF, elsewhere)


def test_a_deactivated_account_manages_nothing(tree):
    town, community, _ = tree
    street = StaffFactory(role=Role.STREET_STAFF, area=town, is_active=False)
    assert not street.can_manage(community) and not street.is_area_staff and street.scope_path is None


def test_superusers_see_the_staff_links(tree):
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("sites:home")).content.decode()
    assert reverse("services:review-queue") in page and reverse("projects:project-list") in page


def test_admin_greets_the_person_by_name(client):
    staff = StaffFactory(
        role=Role.COMMUNITY_STAFF, area=CommunityFactory(), username="daoqian", last_name="王小红"
    )
    client.force_login(staff)
    html = client.get("/admin/").content.decode()
    assert "<strong>王小红</strong>" in html and "<strong>daoqian</strong>" not in html
    assert "css/admin/base.css" in html and "favicon.svg" in html  # no uppercasing; our favicon
