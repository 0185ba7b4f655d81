"""每月评优: frozen once per month, per community and street, unchanged by later reversals."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from members.errors import Refusal
from members.models import EntryKind, MonthlyRanking, PointsEntry, mask_name
from members.points import post_entry, reverse_entry
from members.ranking import freeze_month
from tests.factories import CommunityFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def earn(volunteer, amount, source):
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=amount, source=source)


@time_machine.travel(dt.datetime(2026, 3, 15, 10, tzinfo=dt.UTC))
def test_a_month_is_frozen_once_per_community_and_street(community, town, community_staff, settings):
    settings.RANKING_SIZE = 2
    neighbour = CommunityFactory(parent=town)
    a, b, c = (VolunteerFactory(community=community, name=n) for n in ("张三明", "李四", "王五"))
    d = VolunteerFactory(community=neighbour, name="赵六")
    for volunteer, amount in ((a, 30), (b, 50), (c, 10), (d, 40)):
        earn(volunteer, amount, f"s:{volunteer.pk}")

    with pytest.raises(Refusal, match="尚未结束"):
        freeze_month(2026, 3)
    with time_machine.travel(dt.datetime(2026, 4, 1, 1, tzinfo=dt.UTC)):
        assert freeze_month(2026, 3) == 5
        reverse_entry(entry=PointsEntry.objects.get(volunteer=b), by=community_staff, note="误记")
        assert freeze_month(2026, 3) == 0

    lists = {
        area: list(MonthlyRanking.objects.filter(area=area).order_by("rank").values_list("name", "points"))
        for area in (community, neighbour, town)
    }
    assert lists == {
        community: [("李四", 50), ("张三明", 30)],
        neighbour: [("赵六", 40)],
        town: [("李四", 50), ("赵六", 40)],
    }


@time_machine.travel(dt.datetime(2026, 2, 3, 10, tzinfo=dt.UTC))
def test_the_command_freezes_the_month_just_ended(volunteer, capsys):
    with time_machine.travel(dt.datetime(2026, 1, 20, tzinfo=dt.UTC)):
        earn(volunteer, 10, "s:1")
    call_command("freeze_month")
    call_command("freeze_month")
    out = capsys.readouterr().out
    assert "2026年1月评优名单已生成：2 条" in out and "此前已生成" in out


def test_names_are_partly_masked():
    assert [mask_name(n) for n in ("张三明", "张三", "欧阳小明", "张")] == ["张*明", "张*", "欧**明", "张"]
