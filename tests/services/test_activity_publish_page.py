"""发布活动 on a page (/activities/new/): choose the site, fill the form; the room is booked through the
same publish_activity the API and the admin use, and a taken room or bad input keeps what was typed."""

import pytest
from django.urls import reverse

from services.models import Activity, Booking
from tests.factories import (
    PointRuleFactory,
    SiteFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    next_weekday,
    photo_file,
)

pytestmark = pytest.mark.django_db

NEW = reverse("services:activity-new")


def typed(venue=None, **more):
    return {
        "date": next_weekday(2).isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "venue": str(venue.pk) if venue else "",
        "title": "博士阳光讲坛",
        "kind": "lecture",
        "description": "苏州大学博士讲健康养生",
        "capacity": "30",
        "eligibility": "anyone",
        "contact_phone": "13912345678",
        **more,
    }


def test_the_site_is_chosen_by_name_or_from_the_site_page(client):
    site = SiteFactory(name="道前社区党群服务站")
    SiteFactory(name="邹家角社区党群服务中心")
    client.force_login(UserFactory())
    page = client.get(NEW, {"q": "道前"}).content.decode()
    assert f"?site={site.pk}" in page and "邹家角" not in page
    site_page = client.get(site.get_absolute_url()).content.decode()
    assert f"{NEW}?site={site.pk}" in site_page and "发布活动" in site_page
    assert client.get(NEW, {"site": "abc"}).status_code == 400
    assert client.get(NEW, {"site": "999999"}).status_code == 404


def test_an_organiser_publishes_in_a_room_booked_with_it(client):
    venue = VenueFactory(capacity=40)
    organizer = UserFactory()
    client.force_login(organizer)
    url = f"{NEW}?site={venue.site.pk}"
    form = client.get(url).content.decode()
    assert venue.name in form and "户外（不使用活动室）" in form and 'enctype="multipart/form-data"' in form

    response = client.post(url, typed(venue))

    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert (activity.venue, activity.organizer, activity.capacity) == (venue, organizer, 30)
    booking = activity.booking
    assert (booking.venue, booking.organizer, booking.start, booking.end) == (
        venue,
        organizer,
        activity.start,
        activity.end,
    )


def test_a_taken_room_keeps_the_input_and_offers_other_times(client):
    venue = VenueFactory(capacity=40)
    client.force_login(UserFactory())
    url = f"{NEW}?site={venue.site.pk}"
    assert client.post(url, typed(venue)).status_code == 302
    client.force_login(UserFactory())

    response = client.post(url, typed(venue, title="社区议事会"))

    page = response.content.decode()
    assert response.status_code == 409
    assert "该时段已被预约" in page and "当天其他空闲时间" in page
    assert 'value="社区议事会"' in page and "苏州大学博士讲健康养生" in page
    assert (Activity.objects.count(), Booking.objects.count()) == (1, 1)


def test_bad_input_and_a_refusal_keep_the_input_with_a_chinese_error(client):
    venue = VenueFactory()
    site = venue.site
    client.force_login(UserFactory())
    url = f"{NEW}?site={site.pk}"

    bad = client.post(url, typed(end_time="13:00", capacity="0", eligibility="organization"))
    page = bad.content.decode()
    assert bad.status_code == 400
    assert "结束时间须晚于开始时间" in page and 'value="博士阳光讲坛"' in page
    assert "名额至少为 1" in page

    outdoors = client.post(url, typed())
    page = outdoors.content.decode()
    assert outdoors.status_code == 403 and "户外活动只能由该阵地所在区域的工作人员发布" in page
    assert 'value="博士阳光讲坛"' in page

    restricted = client.post(url, typed(venue, eligibility="organization"))
    assert restricted.status_code == 400 and "请选择党组织" in restricted.content.decode()
    assert not Activity.objects.exists()


def test_area_staff_publish_outdoors_with_points_and_a_cover(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    site = SiteFactory()
    rule = PointRuleFactory()
    client.force_login(StaffFactory(area=site.area))
    url = f"{NEW}?site={site.pk}"

    with_rule = typed(point_rule=str(rule.pk))
    not_a_photo = client.post(url, {**with_rule, "cover": photo_file("a.jpg", b"GIF89a")})
    assert not_a_photo.status_code == 400 and "封面图片" in not_a_photo.content.decode()
    assert "请重新选择封面图片" in not_a_photo.content.decode()

    response = client.post(url, {**with_rule, "cover": photo_file("cover.jpg")})

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert (activity.venue, activity.booking, activity.point_rule) == (None, None, rule)
    assert activity.cover.name.endswith(".jpg")
