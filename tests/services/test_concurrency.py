"""Races: many organisers book the same slot at the same instant; exactly one wins, none sees a 500.

PostgreSQL is the real test (the exclusion constraint decides between parallel transactions). The
SQLite race runs on pytest-django's in-memory test database, which Django opens in shared-cache mode,
so the threads' connections share it; IMMEDIATE transactions make their writers queue.
"""

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from services.booking import BookingConflict, book_venue
from services.models import Booking
from tests.factories import UserFactory, VenueFactory, local, next_weekday

THREADS = 50


def race(work, n):
    """Run work(i) in n threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - every outcome is counted, a crash included
            results[i] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(results)


def assert_no_overlapping_rows(venue):
    rows = list(Booking.objects.live().filter(venue=venue).order_by("start"))
    for a, b in zip(rows, rows[1:], strict=False):
        assert a.end <= b.start


@pytest.fixture
def slot():
    venue = VenueFactory(capacity=100)
    monday = next_weekday(0)
    organizers = [UserFactory() for _ in range(THREADS)]
    return venue, local(monday, 9), local(monday, 11), organizers


def through_book_venue(slot):
    venue, start, end, organizers = slot

    def work(i):
        # Each thread asks for a slightly different span, all overlapping 10:00–10:30.
        minutes = 30 * (i % 2)
        try:
            book_venue(
                venue=venue,
                organizer=organizers[i],
                start=start.replace(minute=minutes),
                end=end,
                title=f"活动{i}",
                purpose="other",
                attendees=5,
                contact_phone="13812345678",
                group_name="组",
            )
            return "booked"
        except BookingConflict:
            return "conflict"
        except ValidationError as error:
            return f"invalid: {error.messages}"

    return race(work, THREADS)


def through_the_api(slot):
    venue, start, end, organizers = slot
    clients = []
    for organizer in organizers:
        client = APIClient()
        client.force_authenticate(organizer)
        clients.append(client)
    body = {
        "venue": venue.pk,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "title": "活动",
        "purpose": "other",
        "attendees": 5,
        "contact_phone": "13812345678",
        "group_name": "组",
    }
    return race(
        lambda i: clients[i].post(reverse("services:api-bookings"), body, format="json").status_code, THREADS
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_race_through_book_venue_gives_exactly_one_booking(slot):
    outcome = through_book_venue(slot)
    assert outcome == Counter({"booked": 1, "conflict": THREADS - 1})
    assert Booking.objects.count() == 1
    assert_no_overlapping_rows(slot[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_race_through_the_api_gives_one_201_and_409s(slot):
    outcome = through_the_api(slot)
    assert outcome == Counter({201: 1, 409: THREADS - 1})
    assert Booking.objects.count() == 1
    assert_no_overlapping_rows(slot[0])


@pytest.mark.django_db(transaction=True)
def test_sqlite_or_postgres_race_never_gives_a_server_error(slot):
    """Runs on both databases: on SQLite the IMMEDIATE transaction queues the writers."""
    outcome = through_the_api(slot)
    assert set(outcome) <= {201, 409}, outcome
    assert outcome[201] == 1
    assert_no_overlapping_rows(slot[0])
