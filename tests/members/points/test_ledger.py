"""The points ledger: append-only in the database, one entry per source, a balance that never drifts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from members.errors import Refusal
from members.models import EntryKind, PointsEntry, ServiceStatus
from members.points import post_entry, reverse_entry, revise_rule
from members.service_records import reject_service, submit_service, verify_service
from sites.reconcile import checks
from tests.factories import PointRuleFactory, ServiceRecordFactory, photo_file

pytestmark = pytest.mark.django_db


def problems():
    return [str(d) for check in checks() for d in check.run()]


def test_verification_posts_the_points_once(volunteer, rule, community_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule, units=Decimal("2.5"))

    verify_service(record=record, by=community_staff)

    volunteer.refresh_from_db()
    record.refresh_from_db()
    assert (record.status, record.points, volunteer.points) == (ServiceStatus.VERIFIED, 25, 25)
    entry = PointsEntry.objects.get()
    assert (entry.kind, entry.amount, entry.source, entry.rule) == (
        EntryKind.EARN,
        25,
        f"service:{record.pk}",
        rule,
    )
    with pytest.raises(Refusal, match="已经审核过"):
        verify_service(record=record, by=community_staff)
    assert PointsEntry.objects.count() == 1
    assert problems() == []


def test_the_same_source_posts_once(volunteer):
    with transaction.atomic():
        first = post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=5, source="import:1")
        second = post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=5, source="import:1")
    volunteer.refresh_from_db()
    assert first is not None and second is None
    assert volunteer.points == 5


def test_a_balance_never_goes_below_zero(volunteer):
    with pytest.raises(Refusal, match="积分不足"), transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.REDEEM, amount=-1, source="x:1")
    assert PointsEntry.objects.count() == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        type(volunteer).objects.filter(pk=volunteer.pk).update(points=-1)


def test_the_volunteer_never_verifies_their_own_service(volunteer, rule, other_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule)
    for user in (volunteer.user, other_staff):
        with pytest.raises(Refusal, match="只有志愿者所在社区的工作人员"):
            verify_service(record=record, by=user)
    record.refresh_from_db()
    assert record.status == ServiceStatus.SUBMITTED


def test_rejection_needs_a_reason_and_posts_nothing(volunteer, rule, community_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule)
    with pytest.raises(Refusal, match="请填写原因"):
        reject_service(record=record, by=community_staff, reason="  ")
    reject_service(record=record, by=community_staff, reason="照片看不清")
    record.refresh_from_db()
    assert (record.status, record.reject_reason) == (ServiceStatus.REJECTED, "照片看不清")
    assert PointsEntry.objects.count() == 0


def test_the_monthly_cap_limits_what_a_month_earns(volunteer, community_staff):
    rule = PointRuleFactory(points_per_unit=10, monthly_cap=25)
    day = dt.date.today().replace(day=1)
    records = [ServiceRecordFactory(volunteer=volunteer, rule=rule, units=1, served_on=day) for _ in range(4)]
    verified = [verify_service(record=record, by=community_staff) for record in records]
    assert [r.points for r in verified] == [10, 10, 5, 0]
    volunteer.refresh_from_db()
    assert volunteer.points == 25
    assert PointsEntry.objects.count() == 3  # a service worth nothing more posts no zero entry


def test_a_rule_change_is_a_new_version_and_leaves_given_points(volunteer, rule, community_staff, city_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule, units=1)
    verify_service(record=record, by=community_staff)

    new = revise_rule(rule=rule, by=city_staff, effective_from=dt.date.today(), points_per_unit=20)

    rule.refresh_from_db()
    assert (new.version, new.points_per_unit, rule.points_per_unit) == (2, 20, 10)
    assert rule.effective_to == dt.date.today() - dt.timedelta(days=1)
    assert PointsEntry.objects.get().amount == 10
    with pytest.raises(Refusal, match="最新版本"):
        revise_rule(rule=rule, by=city_staff, effective_from=dt.date.today(), points_per_unit=30)


def test_a_reversal_corrects_an_entry_and_only_once(volunteer, rule, community_staff):
    record = ServiceRecordFactory(volunteer=volunteer, rule=rule, units=1)
    verify_service(record=record, by=community_staff)
    entry = PointsEntry.objects.get()

    reversal = reverse_entry(entry=entry, by=community_staff, note="重复登记")

    volunteer.refresh_from_db()
    assert (reversal.kind, reversal.amount, volunteer.points) == (EntryKind.REVERSE, -10, 0)
    with pytest.raises(Refusal, match="已经冲正过"):
        reverse_entry(entry=entry, by=community_staff, note="again")
    assert problems() == []


def test_raw_update_and_delete_of_an_entry_are_refused(volunteer):
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=5, source="import:1")
    for sql in ("UPDATE members_pointsentry SET amount = 500", "DELETE FROM members_pointsentry"):
        with (
            pytest.raises(IntegrityError, match="积分流水只能追加"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert PointsEntry.objects.get().amount == 5


def test_reconcile_names_a_drifted_balance(volunteer):
    with transaction.atomic():
        post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=5, source="import:1")
    type(volunteer).objects.filter(pk=volunteer.pk).update(points=7)
    assert problems() == [f"志愿者“张三明”（#{volunteer.pk}）：积分余额记录为 7，按明细应为 5"]


def test_a_rule_that_needs_evidence_refuses_a_service_without_a_photo(volunteer, community):
    rule = PointRuleFactory(evidence_required=True, area=community)
    kwargs = {"title": "排查楼道隐患", "place": "3幢", "served_on": dt.date.today(), "units": 1}
    with pytest.raises(Refusal, match="须上传服务照片"):
        submit_service(volunteer=volunteer, by=volunteer.user, rule=rule, **kwargs)
    record = submit_service(
        volunteer=volunteer, by=volunteer.user, rule=rule, photos=[photo_file()], **kwargs
    )
    assert record.status == ServiceStatus.SUBMITTED and record.photos.count() == 1


def test_a_photo_is_checked_by_its_content(volunteer, rule):
    kwargs = {"title": "排查楼道隐患", "place": "3幢", "served_on": dt.date.today(), "units": 1}
    with pytest.raises(ValidationError, match="照片只能是 JPG 或 PNG"):
        submit_service(
            volunteer=volunteer,
            by=volunteer.user,
            rule=rule,
            photos=[photo_file("a.jpg", b"<html>")],
            **kwargs,
        )


def test_a_rule_of_another_community_is_refused(volunteer, other_staff):
    rule = PointRuleFactory(area=other_staff.area)
    with pytest.raises(Refusal, match="不适用于红管社区"):
        submit_service(
            volunteer=volunteer,
            by=volunteer.user,
            rule=rule,
            title="x",
            place="y",
            served_on=dt.date.today(),
            units=1,
        )
