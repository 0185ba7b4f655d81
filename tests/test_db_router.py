"""Read replicas (config/db_router.py) against Django's TEST MIRROR of the test database.

The mirror is a second connection to the same database, so which connection ran a query shows where the
router sent it. Transactional tests: the mirror cannot see rows inside another connection's open test
transaction.
"""

import time

import pytest
import time_machine
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from config.db_router import RECENT_WRITE_COOKIE, REPLICA_VIEWS
from services.models import Booking
from tests.conftest import REPLICA
from tests.factories import SiteFactory, UserFactory, VenueFactory, local, next_weekday

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(autouse=True)
def replicas(settings):
    settings.DATABASE_REPLICAS = [REPLICA]


def queries_on(alias, client, url, **extra):
    with CaptureQueriesContext(connections[alias]) as captured:
        response = client.get(url, **extra)
    return response, len(captured)


def test_public_pages_and_api_read_from_the_replica_only():
    site = SiteFactory()
    public = [
        reverse("sites:home"),
        reverse("sites:site-list"),
        reverse("sites:site-detail", args=[site.pk]),
        reverse("sites:area-detail", args=[site.area_id]),
        reverse("sites:api-site-collection"),
        reverse("sites:api-site-detail", args=[site.pk]),
        reverse("projects:gongshi-community", args=[site.area_id, 2026]),
    ]
    client = APIClient()
    for url in public:
        with CaptureQueriesContext(connections["default"]) as primary:
            response, on_replica = queries_on(REPLICA, client, url)
        assert response.status_code == 200, url
        assert on_replica > 0 and len(primary) == 0, (url, [q["sql"] for q in primary])


def test_pages_not_listed_and_writes_use_the_primary():
    user = UserFactory()
    client = APIClient()
    client.force_login(user)
    response, on_replica = queries_on(REPLICA, client, reverse("services:my-bookings"))
    assert response.status_code == 200 and on_replica == 0
    response = client.post(reverse("sites:api-site-collection"))  # a POST is never a replica read
    assert response.status_code == 405


def test_a_booking_keeps_its_author_on_the_primary_for_a_few_seconds(settings):
    settings.REPLICA_STICKY_SECONDS = 5
    venue = VenueFactory()
    client = APIClient()
    client.force_login(UserFactory())
    monday = next_weekday(0)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        created = client.post(
            reverse("services:api-bookings"),
            {
                "venue": venue.pk,
                "start": local(monday, 9).isoformat(),
                "end": local(monday, 10).isoformat(),
                "title": "三会一课",
                "purpose": "three_meetings",
                "attendees": 8,
                "contact_phone": "13812345678",
                "group_name": "第二党小组",
            },
            format="json",
        )
    assert created.status_code == 201 and len(replica) == 0
    assert Booking.objects.using("default").filter(pk=created.json()["id"]).exists()
    written_at = float(created.cookies[RECENT_WRITE_COOKIE].value)
    assert created.cookies[RECENT_WRITE_COOKIE]["max-age"] == 5 and abs(time.time() - written_at) < 5

    site_page = reverse("sites:site-detail", args=[venue.site_id])
    _, on_replica = queries_on(REPLICA, client, site_page)
    assert on_replica == 0  # the author reads their own write from the primary

    client.cookies[RECENT_WRITE_COOKIE] = f"{time.time() - 6:.3f}"  # the mark has run out
    _, on_replica = queries_on(REPLICA, client, site_page)
    assert on_replica > 0


def test_a_garbled_mark_is_no_mark():
    site = SiteFactory()
    client = APIClient()
    client.cookies[RECENT_WRITE_COOKIE] = "yesterday"
    _, on_replica = queries_on(REPLICA, client, reverse("sites:site-detail", args=[site.pk]))
    assert on_replica > 0


def test_without_replicas_everything_is_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    site = SiteFactory()
    response, on_replica = queries_on(REPLICA, APIClient(), reverse("sites:site-detail", args=[site.pk]))
    assert response.status_code == 200 and on_replica == 0
    assert RECENT_WRITE_COOKIE not in response.cookies


def test_every_listed_view_exists():
    from django.urls import get_resolver

    names = set()
    resolver = get_resolver()
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        names |= {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    assert not REPLICA_VIEWS - names


def test_a_page_read_from_a_lagging_replica_is_not_kept_as_current(settings):
    """Right after a write the replica may not have it yet: no ETag, not cached, until the lag window ends."""
    settings.PUBLIC_PAGE_CACHE = True
    settings.REPLICA_STICKY_SECONDS = 5
    site = SiteFactory()  # committed: its tables' versions are new
    url = reverse("sites:site-detail", args=[site.pk])
    right_after = APIClient().get(url)
    assert right_after.status_code == 200 and "ETag" not in right_after
    assert "no-cache" in right_after["Cache-Control"]
    with time_machine.travel(time.time() + 6):
        later = APIClient().get(url)
    assert "ETag" in later
