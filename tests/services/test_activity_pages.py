"""Activity pages and API: the public list and its filters, signing up and withdrawing, 我的活动, the API."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from services import activities as ops
from services.models import Activity, ActivityKind, Signup, SignupStatus
from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    SiteFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
    VenueFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


def outdoors(site, *, title="社区清洁志愿服务", kind=ActivityKind.VOLUNTEER, capacity=1, day=None):
    start = local(day or next_weekday(), 9)
    return ops.publish_activity(
        by=StaffFactory(area=site.area), site=site, title=title, kind=kind, start=start,
        end=start + dt.timedelta(hours=2), capacity=capacity,
    )  # fmt: skip


@pytest.fixture
def areas():
    district = DistrictFactory(name="姑苏区")
    street = TownFactory(parent=district, name="双塔街道")
    other = TownFactory(parent=DistrictFactory(name="吴中区"), name="长桥街道")
    return district, street, other


def test_the_list_filters_by_district_street_kind_and_date(client, areas, django_assert_num_queries):
    district, street, other = areas
    here = SiteFactory(area=CommunityFactory(parent=street, name="道前社区"))
    there = SiteFactory(area=CommunityFactory(parent=other))
    lecture = outdoors(here, title="博士阳光讲坛", kind=ActivityKind.LECTURE)
    later = outdoors(here, title="主题党日", kind=ActivityKind.PARTY_DAY, day=next_weekday(weeks=2))
    elsewhere = outdoors(there, title="文体活动")
    cancelled = outdoors(here, title="已取消的活动")
    ops.cancel_activity(activity=cancelled, by=StaffFactory(area=here.area))

    def titles(**query):
        response = client.get(reverse("services:activity-list"), query)
        assert response.status_code == 200
        return [a.title for a in response.context["page"]]

    with django_assert_num_queries(4):  # districts, streets (the form's choices), count, the page
        assert titles() == [lecture.title, elsewhere.title, later.title]
    assert titles(district=district.pk) == [lecture.title, later.title]
    assert titles(street=other.pk) == [elsewhere.title]
    assert titles(kind="party_day") == [later.title]
    shown = client.get(reverse("services:activity-list"), {"street": street.pk, "kind": "party_day"})
    page = shown.content.decode()  # the filters as chosen (PlainSelect writes the options itself)
    assert f'<option value="{street.pk}" selected>双塔街道</option>' in page
    assert '<option value="party_day" selected>主题党日</option>' in page
    assert f'<option value="{other.pk}">长桥街道</option>' in page
    assert '<option value="">全部</option>' in page
    assert titles(date=later.start.astimezone().date().isoformat()) == [later.title]
    response = client.get(reverse("services:activity-list"), {"date": "2026-13-01", "district": "abc"})
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()


def test_signing_up_waitlisting_and_withdrawing_on_the_page(client):
    activity = outdoors(SiteFactory(), capacity=1)
    first, second = UserFactory(), UserFactory()
    url = activity.get_absolute_url()
    assert "登录后报名" in client.get(url).content.decode()

    client.force_login(first)
    assert "报名参加" in client.get(url).content.decode()
    response = client.post(reverse("services:activity-signup", args=[activity.pk]), follow=True)
    assert "报名成功" in response.content.decode() and "您已报名" in response.content.decode()
    response = client.post(reverse("services:activity-signup", args=[activity.pk]), follow=True)
    assert "无需重复报名" in response.content.decode()

    client.force_login(second)
    assert "名额已满，加入候补" in client.get(url).content.decode()
    response = client.post(reverse("services:activity-signup", args=[activity.pk]), follow=True)
    assert "您已进入候补名单" in response.content.decode() and "候补名单第 1 位" in response.content.decode()

    client.force_login(first)
    response = client.post(reverse("services:activity-cancel-signup", args=[activity.pk]), follow=True)
    assert "已取消报名" in response.content.decode()
    assert Signup.objects.get(user=second).status == SignupStatus.SIGNED_UP


def test_closed_activities_refuse_with_a_message(client):
    activity = outdoors(SiteFactory())
    ops.cancel_activity(activity=activity, by=StaffFactory(area=activity.site.area))
    client.force_login(UserFactory())
    response = client.post(reverse("services:activity-signup", args=[activity.pk]), follow=True)
    assert "该活动已取消，不能报名。" in response.content.decode()
    assert not Signup.objects.exists()


def test_my_activities(client, django_assert_num_queries):
    person = UserFactory()
    site = SiteFactory()
    for title, weeks in (("主题党日", 1), ("博士阳光讲坛", 2)):
        ops.sign_up(activity=outdoors(site, title=title, day=next_weekday(weeks=weeks)), user=person)
    client.force_login(person)
    with django_assert_num_queries(5):  # session, user, the header's 待办, count, the page with activities
        response = client.get(reverse("services:my-activities"))
    assert [s.activity.title for s in response.context["page"]] == [
        "博士阳光讲坛",
        "主题党日",
    ]  # latest first
    assert "主题党日" in response.content.decode() and "已报名" in response.content.decode()


def test_a_sites_page_lists_its_upcoming_activities(client):
    site = SiteFactory()
    outdoors(site, title="博士阳光讲坛")
    page = client.get(site.get_absolute_url()).content.decode()
    assert "近期活动" in page and "博士阳光讲坛" in page


def test_the_api_publishes_signs_up_waitlists_and_refuses_with_409():
    venue = VenueFactory()
    api = APIClient()
    organizer = UserFactory(phone="13812345678")
    api.force_authenticate(organizer)
    start = local(next_weekday(), 14)
    body = {
        "site": venue.site.pk, "venue": venue.pk, "title": "主题党日", "kind": "party_day",
        "start": start.isoformat(), "end": (start + dt.timedelta(hours=1)).isoformat(), "capacity": 1,
        "group_name": "x",
    }  # fmt: skip
    response = api.post(reverse("services:api-activities"), body, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert Activity.objects.get(pk=pk).booking.venue == venue
    assert api.post(reverse("services:api-activities"), body, format="json").status_code == 409
    bad = api.post(reverse("services:api-activities"), {**body, "capacity": 0}, format="json")
    assert bad.status_code == 400 and "capacity" in bad.json()

    for user, expected in ((UserFactory(), "signed_up"), (UserFactory(), "waitlisted")):
        api.force_authenticate(user)
        response = api.post(reverse("services:api-activity-signup", args=[pk]))
        assert response.status_code == 200 and response.json()["status"] == expected
    again = api.post(reverse("services:api-activity-signup", args=[pk]))
    assert again.status_code == 409 and "无需重复报名" in again.json()["detail"]
    assert api.post(reverse("services:api-activity-cancel-signup", args=[pk])).status_code == 200
    assert api.get(reverse("services:api-activity", args=[pk])).json()["places_taken"] == 1
    assert api.get(reverse("services:api-activities")).json()


def test_the_api_is_in_the_schema(client):
    schema = client.get(reverse("api-schema")).content.decode()
    for path in ("/api/activities/", "/api/activities/{id}/", "signup/", "cancel-signup/", "checkin/"):
        assert path in schema


def test_the_organiser_shows_a_qr_code_that_opens_the_check_in_page(client, time_machine):
    activity = outdoors(SiteFactory())
    person = UserFactory()
    ops.sign_up(activity=activity, user=person)
    client.force_login(activity.organizer)
    page = client.get(activity.get_absolute_url()).content.decode()
    checkin = reverse("services:activity-checkin", args=[activity.pk])
    assert "签到二维码" in page and "<svg" in page and f"http://testserver{checkin}" in page
    client.force_login(person)
    assert "签到二维码" not in client.get(activity.get_absolute_url()).content.decode()

    assert "活动开始前 30 分钟" in client.get(checkin).content.decode()
    time_machine.move_to(activity.start - dt.timedelta(minutes=10))
    assert "确认签到" in client.get(checkin).content.decode()
    assert "签到成功" in client.post(checkin, follow=True).content.decode()
    assert "无需重复签到" in client.post(checkin, follow=True).content.decode()
    assert Signup.objects.get(user=person).checked_in_at is not None
    api = APIClient()
    api.force_authenticate(person)
    response = api.post(reverse("services:api-activity-checkin", args=[activity.pk]))
    assert response.status_code == 200 and response.json()["checked_in_at"]
    api.force_authenticate(UserFactory())
    refused = api.post(reverse("services:api-activity-checkin", args=[activity.pk]))
    assert refused.status_code == 409 and "没有报名" in refused.json()["detail"]
