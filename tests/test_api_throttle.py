"""The API's write throttle: unsafe methods per user, a Chinese 429; reads are never throttled."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rate(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_write": "3/minute"}}


def signed_in(user=None):
    api = APIClient()
    api.force_authenticate(user or UserFactory())
    return api


def test_the_default_rate_leaves_room_for_the_race_tests_fifty_writes_by_one_user():
    # tests/projects/test_money_races.py posts 50 writes as one staff member within a second.
    count, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_write"].split("/")
    assert int(count) >= 50 and period.startswith("m")


def test_writes_are_throttled_after_the_rate_with_a_chinese_429(low_rate):
    api = signed_in()
    url = reverse("services:api-bookings")
    for _ in range(3):
        assert api.post(url, {}, format="json").status_code == 400  # counted whatever the answer
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json() == {"detail": f"请求过于频繁，请 {wait} 秒后再试。"}
    # One budget for all of the user's writes, whichever endpoint.
    assert api.post(reverse("projects:api-project-list"), {}, format="json").status_code == 429
    # Reads go on.
    assert api.get(url).status_code == 200
    assert api.get(reverse("sites:api-site-collection")).status_code == 200
    # Another user has a budget of their own.
    assert signed_in().post(url, {}, format="json").status_code == 400


def test_reads_are_never_throttled(low_rate):
    api = signed_in()
    venue = VenueFactory()
    for _ in range(10):
        assert api.get(reverse("services:api-availability"), {"venue": venue.pk}).status_code == 200
