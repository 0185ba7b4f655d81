"""Public pages from the shared cache (sites/page_cache.py): ETag, 304, invalidation on any write to the
data a page shows, and signed-in users never served the anonymous copy."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from projects.models import Project, Status
from services.models import Booking, BookingStatus
from sites.models import Site
from sites.page_cache import versions
from tests.factories import (
    BookingFactory,
    CommunityFactory,
    ProjectFactory,
    SiteFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True


def public_urls(site):
    return [
        reverse("sites:home"),
        reverse("sites:site-list"),
        reverse("sites:site-list") + f"?area={site.area_id}&page=1",
        reverse("sites:site-detail", args=[site.pk]),
        reverse("sites:area-index"),
        reverse("sites:area-detail", args=[site.area_id]),
        reverse("projects:gongshi-index"),
        reverse("projects:gongshi-community", args=[site.area_id, 2026]),
    ]


def test_each_public_page_answers_304_and_then_comes_from_the_cache(django_assert_num_queries):
    site = SiteFactory()
    CommunityFactory()  # a city for the 公示 summary
    for url in public_urls(site):
        first = Client().get(url)
        assert first.status_code == 200, url
        etag = first["ETag"]
        assert (
            etag.startswith('"')
            and "public" in first["Cache-Control"]
            and "no-cache" in first["Cache-Control"]
        )
        assert "Cookie" in first["Vary"]
        with django_assert_num_queries(0):
            again = Client().get(url, HTTP_IF_NONE_MATCH=etag)
            cached = Client().get(url)
        assert again.status_code == 304 and again["ETag"] == etag, url
        assert cached.status_code == 200 and cached.content == first.content and cached["ETag"] == etag


def test_an_edit_in_the_admin_or_a_bulk_update_changes_the_page(django_capture_on_commit_callbacks):
    site = SiteFactory(name="旧名字党群服务站")
    url = reverse("sites:site-detail", args=[site.pk])
    first = Client().get(url)
    with django_capture_on_commit_callbacks(execute=True):
        site.name = "新名字党群服务站"
        site.save()
    edited = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert edited.status_code == 200 and "新名字党群服务站" in edited.content.decode()
    assert edited["ETag"] != first["ETag"]

    with django_capture_on_commit_callbacks(execute=True):  # no updated_at, no signal: still seen
        Site.objects.filter(pk=site.pk).update(address="苏州市新地址路1号")
    assert "苏州市新地址路1号" in Client().get(url).content.decode()


def test_a_rolled_back_write_changes_nothing(django_capture_on_commit_callbacks):
    site = SiteFactory()
    url = reverse("sites:site-detail", args=[site.pk])
    etag = Client().get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Site.objects.filter(pk=site.pk).update(address="不会提交")
    assert len(callbacks) == 1  # would bump on commit; the test's transaction never commits
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_cancelled_booking_frees_its_slot_on_the_site_page(django_capture_on_commit_callbacks):
    venue = VenueFactory()
    booking = BookingFactory(venue=venue)
    url = reverse("sites:site-detail", args=[venue.site_id])
    etag = Client().get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)  # as cancel_booking
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_site_page_turns_over_every_quarter_hour_for_its_free_slots():
    site = SiteFactory()
    url = reverse("sites:site-detail", args=[site.pk])
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 1, tzinfo=dt.UTC), tick=False):
        etag = Client().get(url)["ETag"]
        assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 16, tzinfo=dt.UTC), tick=False):
        assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("page", ["sites:site-list", "sites:area-detail"])
def test_lists_of_sites_turn_over_at_midnight_in_shanghai_for_their_hours_today(page):
    site = SiteFactory()
    url = reverse(page, args=[site.area_id] if page == "sites:area-detail" else [])
    # 23:59 and 00:01 in Shanghai (UTC+8).
    with time_machine.travel(dt.datetime(2026, 12, 3, 15, 59, tzinfo=dt.UTC), tick=False):
        etag = Client().get(url)["ETag"]
        assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with time_machine.travel(dt.datetime(2026, 12, 3, 16, 1, tzinfo=dt.UTC), tick=False):
        assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_published_project_changes_its_communitys_gongshi(django_capture_on_commit_callbacks):
    project = ProjectFactory(status=Status.IN_PROGRESS, title="古巷邻里议事厅", year=2026)
    url = reverse("projects:gongshi-community", args=[project.community_id, 2026])
    etag = Client().get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        Project.objects.filter(pk=project.pk).update(title="古巷邻里议事厅（二期）")
    changed = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "二期" in changed.content.decode()


def test_signed_in_users_never_get_the_anonymous_copy():
    site = SiteFactory()
    url = reverse("sites:site-detail", args=[site.pk])
    anonymous = Client().get(url)
    signed_in = Client()
    signed_in.force_login(UserFactory(username="organizer_zhang"))
    theirs = signed_in.get(url, HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert theirs.status_code == 200 and "organizer_zhang" in theirs.content.decode()
    assert "ETag" not in theirs and "private" in theirs["Cache-Control"]
    assert "organizer_zhang" not in Client().get(url).content.decode()  # nor they the others' copy


def test_a_visitor_with_a_message_waiting_bypasses_the_cache():
    site = SiteFactory()
    url = reverse("sites:site-detail", args=[site.pk])
    Client().get(url)
    visitor = Client()
    visitor.cookies["messages"] = "something"
    assert "ETag" not in visitor.get(url)


def test_downloads_and_errors_are_not_kept_as_pages():
    community = CommunityFactory()
    csv_url = reverse("projects:gongshi-community-csv", args=[community.pk, 2026])
    for _ in range(2):
        response = Client().get(csv_url)
        assert (
            response["Content-Type"].startswith("text/csv")
            and "attachment" in response["Content-Disposition"]
        )
    bad = Client().get(reverse("sites:home") + "?tier=castle")
    assert bad.status_code == 400 and "ETag" not in bad


def test_off_without_a_shared_cache(settings):
    settings.PUBLIC_PAGE_CACHE = False
    site = SiteFactory()
    response = Client().get(reverse("sites:site-detail", args=[site.pk]))
    assert response.status_code == 200 and "ETag" not in response


def test_versions_are_made_once_and_kept():
    first = versions(["sites_site", "sites_area"])
    assert versions(["sites_site", "sites_area"]) == first and len(set(first)) == 2


def test_the_whole_map_revalidates_without_a_query_and_changes_with_a_site(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    site = SiteFactory(name="旧名字党群服务站")
    url = reverse("sites:api-site-collection")
    etag = Client().get(url)["ETag"]
    with django_assert_num_queries(0):  # no filter built, no aggregate: the shared table versions
        assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        Site.objects.filter(pk=site.pk).update(name="新名字党群服务站")
    changed = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "新名字党群服务站" in changed.content.decode()
