"""双向认领 through its write path: claim either way, accept, decline, complete, evaluate; the need's
derived states; what the database refuses; reconcile."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Notification
from services import claims, needs
from services.models import Claim, ClaimEvent, ClaimStatus, Need, NeedState, NeedStatus, Resource
from services.reconcile import need_claimed, resource_claimed
from sites.append_only import AppendOnlyError
from tests.factories import (
    CommunityFactory,
    NeedFactory,
    ResourceFactory,
    StaffFactory,
    UnitStaffFactory,
    photo_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def need():
    return NeedFactory(title="绿化修建", quantity=5, unit="次")


def unit_staff_near(need):
    return UnitStaffFactory(organization__area=need.community)


def test_a_unit_claims_accepted_completed_evaluated(need):
    community_staff = need.created_by
    staff = unit_staff_near(need)
    claim = claims.claim_need(need=need, by=staff, quantity=2, note="每月一次")
    assert claim.status == ClaimStatus.PENDING
    assert Need.objects.get(pk=need.pk).state == NeedState.PARTLY_CLAIMED
    assert Notification.objects.filter(recipient=community_staff, key=f"claim:{claim.pk}:claimed").exists()

    claims.accept_claim(claim=claim, by=community_staff)
    assert Notification.objects.filter(recipient=staff, key=f"claim:{claim.pk}:accepted").exists()
    done = claims.complete_claim(
        claim=claim,
        by=staff,
        on=timezone.localdate(),
        beneficiaries=120,
        evidence=photo_file(),
        note="修剪完毕",
    )
    assert done.status == ClaimStatus.COMPLETED and done.evidence
    assert Need.objects.get(pk=need.pk).fulfilled == 2
    claims.evaluate_claim(claim=claim, by=community_staff, rating="satisfied", comment="居民满意")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.EVALUATED and claim.rating == "satisfied"
    assert list(claim.events.values_list("status", flat=True)) == [
        "pending", "in_progress", "completed", "evaluated",
    ]  # fmt: skip
    assert list(need_claimed()) == []


def test_states_follow_the_counters(need):
    staffs = [unit_staff_near(need) for _ in range(2)]
    first = claims.claim_need(need=need, by=staffs[0], quantity=3)
    second = claims.claim_need(need=need, by=staffs[1], quantity=2)
    assert Need.objects.get(pk=need.pk).state == NeedState.FULLY_CLAIMED
    for claim, staff in ((first, staffs[0]), (second, staffs[1])):
        claims.accept_claim(claim=claim, by=need.created_by)
        claims.complete_claim(claim=claim, by=staff, on=timezone.localdate(), beneficiaries=10)
    row = Need.objects.with_state().get(pk=need.pk)
    assert row.state == NeedState.FULFILLED and row.state_key == NeedState.FULFILLED
    needs.close_need(need=need, by=need.created_by)
    assert Need.objects.with_state().get(pk=need.pk).state_key == NeedState.CLOSED


def test_over_the_quantity_left_is_a_conflict_with_the_reason(need):
    claims.claim_need(need=need, by=unit_staff_near(need), quantity=4)
    with pytest.raises(claims.ClaimConflict, match="还剩 1次"):
        claims.claim_need(need=need, by=unit_staff_near(need), quantity=2)
    assert Need.objects.get(pk=need.pk).claimed == 4


def test_a_second_live_claim_by_the_same_unit_is_refused(need):
    staff = unit_staff_near(need)
    claims.claim_need(need=need, by=staff, quantity=1)
    with pytest.raises(claims.ClaimConflict, match="不能重复认领"):
        claims.claim_need(need=need, by=staff, quantity=1)


def test_the_database_refuses_a_second_live_claim_and_an_overclaim(need):
    staff = unit_staff_near(need)
    first = claims.claim_need(need=need, by=staff, quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            direction="need", need=need, organization=first.organization, community=need.community,
            claimed_by=staff, quantity=1,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.filter(pk=need.pk).update(claimed=6)


def test_declined_with_a_reason_frees_the_quantity_and_the_unit_may_claim_again(need):
    staff = unit_staff_near(need)
    claim = claims.claim_need(need=need, by=staff, quantity=5)
    with pytest.raises(ValidationError):
        claims.decline_claim(claim=claim, by=need.created_by, reason="  ")
    claims.decline_claim(claim=claim, by=need.created_by, reason="已由物业完成")
    assert Need.objects.get(pk=need.pk).claimed == 0
    assert Notification.objects.filter(recipient=staff, key=f"claim:{claim.pk}:declined").exists()
    again = claims.claim_need(need=need, by=staff, quantity=1)
    assert again.status == ClaimStatus.PENDING
    assert list(need_claimed()) == []


def test_only_the_owning_side_decides_and_only_the_unit_completes(need):
    staff = unit_staff_near(need)
    claim = claims.claim_need(need=need, by=staff, quantity=1)
    with pytest.raises(PermissionDenied):
        claims.accept_claim(claim=claim, by=staff)
    with pytest.raises(PermissionDenied):
        claims.accept_claim(claim=claim, by=StaffFactory())  # another community's staff
    claims.accept_claim(claim=claim, by=need.created_by)
    with pytest.raises(claims.ClaimConflict, match="只能确认待确认"):
        claims.accept_claim(claim=claim, by=need.created_by)
    with pytest.raises(PermissionDenied):
        claims.complete_claim(claim=claim, by=need.created_by, on=timezone.localdate(), beneficiaries=1)
    with pytest.raises(ValidationError):
        claims.complete_claim(
            claim=claim, by=staff, on=timezone.localdate() + dt.timedelta(days=1), beneficiaries=1
        )
    with pytest.raises(claims.ClaimConflict):
        claims.evaluate_claim(claim=claim, by=need.created_by, rating="satisfied")


def test_no_claims_on_a_draft_a_withdrawn_or_a_past_need():
    draft = NeedFactory(publish=False)
    with pytest.raises(claims.ClaimConflict, match="草稿"):
        claims.claim_need(need=draft, by=unit_staff_near(draft), quantity=1)
    past = NeedFactory(wanted_by=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(claims.ClaimConflict, match="已过期望完成日期"):
        claims.claim_need(need=past, by=unit_staff_near(past), quantity=1)
    assert needs.expire_needs() == 1
    assert needs.expire_needs() == 0  # idempotent
    assert Need.objects.get(pk=past.pk).status == NeedStatus.EXPIRED


def test_a_claimed_need_cannot_be_withdrawn(need):
    claims.claim_need(need=need, by=unit_staff_near(need), quantity=1)
    with pytest.raises(claims.ClaimConflict, match="不能撤回"):
        needs.withdraw_need(need=need, by=need.created_by)


def test_a_person_without_a_unit_cannot_claim(need):
    with pytest.raises(PermissionDenied):
        claims.claim_need(need=need, by=StaffFactory(area=need.community), quantity=1)


def test_a_community_claims_a_units_resource():
    resource = ResourceFactory(quantity=12)
    community = CommunityFactory(parent=resource.street)
    staff = StaffFactory(area=community)
    claim = claims.claim_resource(resource=resource, by=staff, community=community, quantity=4)
    assert Resource.objects.get(pk=resource.pk).claimed == 4
    with pytest.raises(PermissionDenied):
        claims.accept_claim(claim=claim, by=staff)
    claims.accept_claim(claim=claim, by=resource.created_by)
    claims.complete_claim(claim=claim, by=resource.created_by, on=timezone.localdate(), beneficiaries=30)
    claims.evaluate_claim(claim=claim, by=staff, rating="fairly_satisfied")
    assert list(resource_claimed()) == []
    elsewhere = CommunityFactory()
    with pytest.raises(claims.ClaimConflict, match="不服务"):
        claims.claim_resource(
            resource=resource, by=StaffFactory(area=elsewhere), community=elsewhere, quantity=1
        )


def test_reconcile_names_a_counter_that_disagrees(need):
    claims.claim_need(need=need, by=unit_staff_near(need), quantity=2)
    Need.objects.filter(pk=need.pk).update(claimed=3)
    (difference,) = need_claimed()
    assert difference.stored == 3 and difference.computed == 2


def test_the_timeline_is_append_only(need):
    claim = claims.claim_need(need=need, by=unit_staff_near(need), quantity=1)
    event = claim.events.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimEvent.objects.filter(pk=event.pk).update(note="改写")


def test_the_expiry_job_runs_twice_and_changes_nothing_more():
    from services.tasks import expire_past_needs

    past = NeedFactory(wanted_by=timezone.localdate() - dt.timedelta(days=3))
    claimed = NeedFactory()
    claims.claim_need(need=claimed, by=unit_staff_near(claimed), quantity=1)  # before its date passed
    Need.objects.filter(pk=claimed.pk).update(wanted_by=timezone.localdate() - dt.timedelta(days=3))
    assert expire_past_needs.delay().get() == 1
    assert expire_past_needs.delay().get() == 0
    assert Need.objects.get(pk=past.pk).status == NeedStatus.EXPIRED
    assert Need.objects.get(pk=claimed.pk).status == NeedStatus.PUBLISHED
