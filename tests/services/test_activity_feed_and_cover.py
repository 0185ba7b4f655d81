"""Where people find activities: a site's iCalendar feed (linked from its page), the site page and the map
popup's data (the activities API filtered by site), and the cover photo on the list and the page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from services import activities as ops
from services.models import ActivityKind
from tests.factories import JPEG_BYTES, SiteFactory, StaffFactory, VenueFactory, local, next_weekday

pytestmark = pytest.mark.django_db


def outdoors(site, title, *, days=0, capacity=5):
    start = local(next_weekday(), 9) + dt.timedelta(days=days)
    return ops.publish_activity(
        by=StaffFactory(area=site.area), site=site, title=title, kind=ActivityKind.LECTURE, start=start,
        end=start + dt.timedelta(hours=2), capacity=capacity, description="第一行\n第二行",
    )  # fmt: skip


def test_a_sites_feed_lists_its_activities_and_marks_cancelled_ones(client):
    site, other = SiteFactory(), SiteFactory()
    lecture = outdoors(site, "博士阳光讲坛：智慧养老")
    cancelled = outdoors(site, "主题党日", days=1)
    ops.cancel_activity(activity=cancelled, by=StaffFactory(area=site.area))
    outdoors(other, "别处的活动")
    page = client.get(site.get_absolute_url()).content.decode()
    feed_url = reverse("services:site-activities-feed", args=[site.pk])
    assert feed_url in page  # linked from the site page
    response = client.get(feed_url)
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["博士阳光讲坛：智慧养老", "主题党日"]
    first, second = events
    assert str(first["uid"]) == f"activity-{lecture.pk}@haitang"
    assert first.decoded("dtstart") == lecture.start and first.decoded("dtstart").utcoffset() == dt.timedelta(
        0
    )
    assert str(first["url"]).endswith(lecture.get_absolute_url()) and str(first["url"]).startswith("http")
    assert "第二行" in str(first["description"]) and site.address in str(first["location"])
    assert (str(first["status"]), str(second["status"])) == ("CONFIRMED", "CANCELLED")
    assert client.get(reverse("services:site-activities-feed", args=[10**12])).status_code == 404


def test_the_map_popup_gets_a_sites_upcoming_activities_from_the_api(client, django_assert_num_queries):
    site = SiteFactory()
    for n in range(3):
        outdoors(site, f"讲座{n}", days=n, capacity=1 + n)
    outdoors(SiteFactory(), "别处的活动")
    # the filter's site, the count, the page of activities with their sites and rooms
    with django_assert_num_queries(3):
        body = client.get(reverse("services:api-activities"), {"site": site.pk}).json()
    assert [a["title"] for a in body["results"]] == ["讲座0", "讲座1", "讲座2"]
    first = body["results"][0]
    assert first["url"] == reverse("services:activity-detail", args=[first["id"]])
    assert first["span_label"] and first["places_left"] == 1
    assert client.get(reverse("services:api-activities"), {"site": "abc"}).status_code == 400


def test_the_site_page_shows_an_activitys_room_from_the_rooms_it_has_loaded(client):
    site = SiteFactory()
    room = VenueFactory(site=site, name="党员活动室")
    outdoors(site, "户外活动")
    client.get(site.get_absolute_url())  # warm the per-process caches (table versions)
    with CaptureQueriesContext(connection) as outdoors_only:
        client.get(site.get_absolute_url())
    start = local(next_weekday(), 14)
    ops.publish_activity(
        by=StaffFactory(area=site.area), site=site, venue=room, title="室内讲座", kind=ActivityKind.LECTURE,
        start=start, end=start + dt.timedelta(hours=1), capacity=5, contact_phone="13812345678",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as with_room:
        page = client.get(site.get_absolute_url()).content.decode()
    assert f"{site.name} · 党员活动室" in page
    assert len(with_room.captured_queries) == len(outdoors_only.captured_queries)


def test_a_cover_is_checked_like_every_upload_and_shown_on_the_list_and_the_page(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    site = SiteFactory()
    activity = outdoors(site, "居民议事会")
    staff = StaffFactory(area=site.area)
    fake = SimpleUploadedFile("cover.jpg", b"<html><script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="封面图片只能是 JPG 或 PNG"):
        ops.update_activity(activity=activity, by=staff, cover=fake)
    with pytest.raises(ValidationError, match="扩展名应与内容相符"):
        ops.update_activity(activity=activity, by=staff, cover=SimpleUploadedFile("cover.html", JPEG_BYTES))
    activity.refresh_from_db()
    assert not activity.cover
    updated = ops.update_activity(
        activity=activity, by=staff, cover=SimpleUploadedFile("cover.jpg", JPEG_BYTES)
    )
    assert updated.cover.name.startswith("activities/")
    listed = client.get(reverse("services:activity-list")).content.decode()
    shown = client.get(activity.get_absolute_url()).content.decode()
    assert updated.cover.url in listed and updated.cover.url in shown
    ops.update_activity(activity=activity, by=staff, cover=False)  # the admin's "clear" box
    activity.refresh_from_db()
    assert not activity.cover


def test_the_site_page_and_the_feed_cost_the_same_queries_however_many_activities(
    client, django_assert_num_queries
):
    site = SiteFactory()
    outdoors(site, "讲座")
    feed = reverse("services:site-activities-feed", args=[site.pk])
    client.get(site.get_absolute_url())  # warm the per-process caches (table versions)
    for n in range(6):
        outdoors(site, f"讲座{n}", days=n + 1)
        # the site, its rooms, its organisations, its area chain, its next activities: the same for 2 or 7
        with django_assert_num_queries(5):
            page = client.get(site.get_absolute_url()).content.decode()
        with django_assert_num_queries(2):  # the site, its activities with their rooms
            client.get(feed)
    assert page.count('class="activity-item"') == 5  # the next five
