"""Ids typed into a URL or a form: only ASCII digits up to 2**63 - 1 make an id, whatever else comes."""

import pytest
from django.test import Client
from django.urls import reverse

from sites.ids import MAX_ID, parse_id
from tests.factories import StaffFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

# "²" passes str.isdigit() but int() refuses it; "١٢" (Arabic-Indic digits) int() would take.
NOT_IDS = ["", "abc", "-1", "1.5", " 1", "²", "١٢", str(MAX_ID + 1), str(2**64)]


@pytest.mark.parametrize("text", NOT_IDS)
def test_parse_id_refuses_what_is_not_a_row_id(text):
    assert parse_id(text) is None


def test_parse_id_takes_a_row_id():
    assert parse_id("42") == 42 and parse_id(MAX_ID) == MAX_ID


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(StaffFactory())
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/api/sites/?district=²",
        "/sites/?district=²",
        "/admin/sites/site/?district=²",
        "/admin/sites/site/?district=1&town=²",
    ],
)
def test_a_superscript_digit_in_an_id_filter_is_refused_not_a_500(admin_client, url):
    admin_client.raise_request_exception = False
    assert admin_client.get(url).status_code in (302, 400)


def test_book_again_with_a_superscript_digit_is_a_400(client):
    client.force_login(UserFactory())
    response = client.get(reverse("services:book", args=[VenueFactory().pk]), {"again": "²"})
    assert response.status_code == 400 and "链接参数有误" in response.content.decode()


def test_calendar_regenerate_for_a_superscript_room_is_a_404(staff_client):
    response = staff_client.post(reverse("services:calendar-regenerate"), {"venue": "²"})
    assert response.status_code == 404
