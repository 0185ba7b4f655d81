"""A NUL character anywhere in a request is a Chinese 400 before any view, on SQLite and PostgreSQL alike
(PostgreSQL refuses NUL in text: a NUL reaching a query was a 500 there)."""

import pytest
from django.urls import reverse

from config.middleware import NUL_REFUSED
from services.models import Booking
from tests.factories import VenueFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/calendar/abc%00def.ics",
        "/admin/sites/site/?q=%00",
        "/admin/sites/site/?tier=%00",
        "/admin/sites/site/?area__id__exact=%00",
        "/admin/projects/expense/?status=%00",
        "/admin/services/closeddate/?date__year=%00",
        "/admin/autocomplete/?app_label=members&model_name=organization&field_name=area&term=%00",
        "/admin/sites/site/?%00=1",
        "/sites/?q=a%00b",
    ],
)
def test_a_nul_in_the_path_or_query_is_a_400_page(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert NUL_REFUSED in response.content.decode()


def test_a_nul_in_an_api_query_is_a_400_in_json(admin_client):
    response = admin_client.get("/api/bookings/?status=%00")
    assert response.status_code == 400 and response.json() == {"detail": NUL_REFUSED}


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_written(admin_client):
    venue = VenueFactory()
    form = {"date": "2030-01-07", "start_time": "09:00", "end_time": "10:00", "title": "主题\x00党日"}
    response = admin_client.post(reverse("services:book", args=[venue.pk]), form)
    assert response.status_code == 400 and NUL_REFUSED in response.content.decode()
    assert not Booking.objects.exists()


def test_a_nul_in_the_session_cookie_is_a_400(client):
    # Set raw: the test client's cookie jar would quote the NUL away.
    response = client.get(reverse("services:my-bookings"), HTTP_COOKIE="sessionid=abcdefgh\x00ijkl")
    assert response.status_code == 400
