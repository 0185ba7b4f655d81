"""Changelist filters typed into the address bar (date hierarchy, date filters, area filters): a value
that can't be used is a 400 page in Chinese naming it, never a 500 nor a redirect to Django's
"database error" page; a filter that matches nothing is an empty list."""

import pytest
from django.urls import reverse

from tests.factories import ClosedDateFactory

pytestmark = pytest.mark.django_db

CLOSED_DATES = "admin:services_closeddate_changelist"
BOOKINGS = "admin:services_booking_changelist"


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        (CLOSED_DATES, {"date__year": "9999"}),
        (CLOSED_DATES, {"date__year": "9999", "date__month": "12"}),
        (CLOSED_DATES, {"date__year": "9999", "date__month": "12", "date__day": "31"}),
        (CLOSED_DATES, {"date__year": "2026", "date__month": "13"}),
        (CLOSED_DATES, {"date__year": "2026", "date__month": "2", "date__day": "30"}),
        (CLOSED_DATES, {"date__year": "2026", "date__month": "1", "date__day": "40"}),
        (CLOSED_DATES, {"date__year": "0"}),
        (CLOSED_DATES, {"date__year": "abc"}),
        (CLOSED_DATES, {"date__year": str(2**64)}),
        (BOOKINGS, {"start__gte": "2026-02-30"}),
        (BOOKINGS, {"start__lt": "10000-01-01"}),
        (BOOKINGS, {"status": "pending", "start__gte": "abc"}),
    ],
)
def test_an_unusable_filter_is_a_chinese_400_naming_it(admin_client, url_name, params):
    ClosedDateFactory()
    response = admin_client.get(reverse(url_name), params)
    page = response.content.decode()
    assert response.status_code == 400 and "筛选条件" in page
    key, value = next(iter(params.items()))
    assert f"{key}={value}" in page


def test_the_first_day_of_the_calendar_is_refused_or_listed(admin_client):
    # A real date: PostgreSQL lists from it; SQLite can't turn its local midnight into UTC (year 0).
    response = admin_client.get(reverse(BOOKINGS), {"start__gte": "0001-01-01"})
    assert response.status_code in (200, 400)


def test_a_far_but_real_year_is_an_empty_list(admin_client):
    ClosedDateFactory()
    response = admin_client.get(reverse(CLOSED_DATES), {"date__year": "9998"})
    assert response.status_code == 200 and "0 个" in response.content.decode()
