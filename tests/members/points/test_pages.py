"""The volunteers' pages through HTTP: registration, my record, submission with a photo, the staff's
queue, rewards and hand-over, the public ranking; every list's query count pinned."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from members.models import (
    EntryKind,
    MonthlyRanking,
    RedemptionStatus,
    ServiceRecord,
    ServiceStatus,
    Volunteer,
)
from members.points import post_entry
from members.ranking import freeze_month
from members.rewards import request_redemption
from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    PointRuleFactory,
    RewardFactory,
    ServiceRecordFactory,
    TownFactory,
    UserFactory,
    VolunteerFactory,
    photo_file,
)

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_registering_on_the_page_keeps_the_input_and_logs_in(client, community, sms_outbox):
    url = reverse("volunteers:register")
    typed = {"phone": "13912345678", "name": "张三明", "community": community.pk, "password": "haitang-2026"}

    sent = client.post(url, {**typed, "action": "send"})
    assert "验证码已发送" in sent.content.decode()
    code = re.search(r"\d{6}", sms_outbox[-1][1]).group()

    wrong = client.post(url, {**typed, "code": "12345x", "action": "register"})
    assert wrong.status_code == 200
    assert "验证码不正确" in wrong.content.decode() and 'value="张三明"' in wrong.content.decode()

    done = client.post(url, {**typed, "code": code, "action": "register"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("volunteers:me")
    assert "注册成功" in done.content.decode()
    assert Volunteer.objects.get().user.username == "13912345678"


def test_registration_names_every_missing_field(client):
    response = client.post(reverse("volunteers:register"), {"phone": "13912345678", "action": "register"})
    body = response.content.decode()
    for message in ("请填写短信中的 6 位验证码", "请填写姓名", "请选择服务社区", "请设置密码"):
        assert message in body


def test_a_volunteer_submits_with_a_photo_and_staff_verify(volunteer, community, community_staff):
    rule = PointRuleFactory(area=community, evidence_required=True, name="隐患排查", points_per_unit=5)
    client = client_for(volunteer.user)
    form = {"rule": rule.pk, "title": "楼道堆物排查", "place": "3幢", "served_on": "2026-01-05", "units": "2"}
    missing = client.post(reverse("volunteers:service-new"), form)
    assert "须上传服务照片" in missing.content.decode()

    client.post(reverse("volunteers:service-new"), {**form, "photos": photo_file()})
    record = ServiceRecord.objects.get()
    photo_url = record.photos.get().get_absolute_url()
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"

    staff = client_for(community_staff)
    assert "楼道堆物排查" in staff.get(reverse("volunteers:review")).content.decode()
    assert staff.get(photo_url).status_code == 200
    assert client_for(UserFactory()).get(photo_url).status_code == 404
    staff.post(reverse("volunteers:service-verify", args=[record.pk]))

    record.refresh_from_db()
    assert record.status == ServiceStatus.VERIFIED
    assert 'id="balance">10<' in client.get(reverse("volunteers:me")).content.decode()


def test_the_volunteer_cannot_verify_and_other_areas_see_nothing(volunteer, rule, other_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule)
    assert (
        client_for(volunteer.user).post(reverse("volunteers:service-verify", args=[record.pk])).status_code
        == 403
    )
    assert (
        client_for(other_staff).post(reverse("volunteers:service-verify", args=[record.pk])).status_code
        == 404
    )
    assert "没有待审核" in client_for(other_staff).get(reverse("volunteers:review")).content.decode()
    record.refresh_from_db()
    assert record.status == ServiceStatus.SUBMITTED


def test_a_rejection_without_a_reason_says_so(volunteer, rule, community_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule)
    response = client_for(community_staff).post(
        reverse("volunteers:service-reject", args=[record.pk]), follow=True
    )
    assert "请填写原因" in response.content.decode()


def test_redeem_on_the_page_and_the_unit_hands_it_over(volunteer):
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=100, source="grant")
    reward = RewardFactory(price=60, stock=1, name="免费理发")
    client = client_for(volunteer.user)
    client.post(reverse("volunteers:reward-redeem", args=[reward.pk]))
    again = client.post(reverse("volunteers:reward-redeem", args=[reward.pk]), follow=True)
    assert "积分不足" in again.content.decode() or "已兑完" in again.content.decode()

    unit = client_for(UserFactory(organization=reward.organization))
    queue = unit.get(reverse("volunteers:handover")).content.decode()
    assert "免费理发" in queue
    redemption = volunteer.redemptions.get()
    unit.post(reverse("volunteers:redemption-hand-over", args=[redemption.pk]))
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.HANDED_OVER
    assert (
        client_for(UserFactory())
        .post(reverse("volunteers:redemption-hand-over", args=[redemption.pk]))
        .status_code
        == 404
    )


def test_the_public_ranking_masks_names(community, town):
    volunteer = VolunteerFactory(community=community, name="张三明")
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=10, source="s")
    today = dt.date.today()
    entry_month = (today.year, today.month)
    with mock.patch("members.ranking.timezone.now", return_value=dt.datetime(2100, 1, 1, tzinfo=dt.UTC)):
        freeze_month(*entry_month)
    body = client_for(UserFactory()).get(
        reverse("volunteers:ranking"), {"area": town.pk, "year": entry_month[0], "month": entry_month[1]}
    )
    assert "张*明" in body.content.decode() and "张三明" not in body.content.decode()
    assert client_for(UserFactory()).get(reverse("volunteers:ranking"), {"month": "13"}).status_code == 400


def test_query_counts_stay_flat(volunteer, community, community_staff, django_assert_num_queries):
    rule = PointRuleFactory(points_per_unit=5)
    for i in range(5):
        ServiceRecordFactory(volunteer=VolunteerFactory(community=community), rule=rule)
        ServiceRecordFactory(volunteer=volunteer, rule=rule, title=f"服务{i}")
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=500, source="grant")
    for _ in range(3):
        request_redemption(
            volunteer=volunteer,
            reward=RewardFactory(price=10, organization__area=community),
            by=volunteer.user,
        )
    pages = [
        (volunteer.user, reverse("volunteers:me"), 8),
        (community_staff, reverse("volunteers:review"), 7),  # the page's photos: one query
        (volunteer.user, reverse("volunteers:rewards"), 6),
        (community_staff, reverse("volunteers:handover"), 6),
    ]
    for user, url, queries in pages:
        client = client_for(user)
        client.get(url)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_a_districts_ranking_is_two_queries_however_many_streets(django_assert_num_queries):
    district = DistrictFactory()
    for _ in range(3):
        community = CommunityFactory(parent=TownFactory(parent=district))
        volunteer = VolunteerFactory(community=community)
        for area in (community, community.parent):
            MonthlyRanking.objects.create(
                year=2026, month=1, area=area, rank=1, volunteer=volunteer, name="张三明", points=5,
                frozen_at="2026-02-01T00:00:00Z",
            )  # fmt: skip
    url = reverse("volunteers:ranking")
    with django_assert_num_queries(2):  # the area, the frozen lines with their lists
        response = Client().get(url, {"area": district.pk, "year": 2026, "month": 1})
    body = response.content.decode()
    assert body.count("张*明") == 3  # the three streets' lists, not the communities'
