"""Phone numbers on the admin's change pages and in its search: members.models.may_see_phone decides.

The person themself and superusers read an account's number; other staff see it masked (nowhere in the
page's HTML, not even as a field's value), may type a new one, and can't find it by its digits.
"""

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Role, may_see_phone
from tests.factories import (
    BookingFactory,
    CommunityFactory,
    DistrictFactory,
    OrganizationFactory,
    StaffFactory,
    TownFactory,
    VenueFactory,
)
from tests.html_form import submitted_data

pytestmark = pytest.mark.django_db

NUMBER, MASKED = "13812345678", "138****5678"


@pytest.fixture
def district():
    return DistrictFactory(name="姑苏区")


@pytest.fixture
def community(district):
    return CommunityFactory(parent=TownFactory(parent=district))


@pytest.fixture
def account(community):
    return StaffFactory(area=community, username="daoqian", phone=NUMBER)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def change_page(client, obj):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return client.get(url)


@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.STREET_STAFF])  # may edit / read-only
def test_other_staff_never_get_the_number_in_the_change_page(district, community, account, role):
    viewer = StaffFactory(role=role, area=district if role == Role.DISTRICT_ADMIN else community.parent)
    response = change_page(client_for(viewer), account)
    page = response.content.decode()
    assert response.status_code == 200 and NUMBER not in page and MASKED in page


def test_the_person_and_superusers_read_it(account, admin_user):
    for viewer in (account, admin_user):
        assert NUMBER in change_page(client_for(viewer), account).content.decode()


def test_staff_who_may_edit_replace_the_number_or_keep_it(district, account):
    client = client_for(StaffFactory(role=Role.DISTRICT_ADMIN, area=district))
    url = reverse("admin:members_user_change", args=[account.pk])
    data = submitted_data(client.get(url).content.decode(), form_id="user_form")
    assert data["phone"] == ""
    assert client.post(url, {**data, "last_name": "王"}).status_code == 302
    account.refresh_from_db()
    assert account.phone == NUMBER and account.last_name == "王"
    assert client.post(url, {**data, "phone": "13900001111"}).status_code == 302
    account.refresh_from_db()
    assert account.phone == "13900001111"


def test_searching_by_digits_finds_the_account_only_for_who_may_read_them(district, account, admin_user):
    url = reverse("admin:members_user_changelist")
    other_staff = client_for(StaffFactory(role=Role.DISTRICT_ADMIN, area=district))
    assert "daoqian" not in other_staff.get(url, {"q": "5678"}).content.decode()
    assert "daoqian" in other_staff.get(url, {"q": "daoqian"}).content.decode()
    assert "daoqian" in client_for(admin_user).get(url, {"q": "5678"}).content.decode()


def test_a_secretarys_number_is_masked_for_area_staff(community, admin_user):
    organization = OrganizationFactory(area=community, secretary="张书记", phone=NUMBER)
    page = change_page(client_for(StaffFactory(area=community)), organization).content.decode()
    assert NUMBER not in page and MASKED in page
    assert NUMBER in change_page(client_for(admin_user), organization).content.decode()


def test_the_same_rule_decides_a_bookings_contact_phone(community, account):
    booking = BookingFactory(venue=VenueFactory(site__area=community), contact_phone=NUMBER)
    elsewhere = StaffFactory(area=CommunityFactory())
    assert booking.phone_for(account) == NUMBER  # staff of the room's area
    assert booking.phone_for(booking.organizer) == NUMBER
    assert booking.phone_for(elsewhere) == MASKED
    assert not may_see_phone(elsewhere, owner_id=account.pk)
