"""三会一课 records (members/meetings.py): who may record, attendance one per member, 补录 after 30 days,
settled records changed only by an append-only amendment, a meeting in a room booked in its transaction."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from members import meetings
from members.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingAmendment,
    MeetingKind,
    MeetingStatus,
    OrganizationKind,
    Role,
)
from services.models import Booking, Purpose
from tests.factories import (
    BookingFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    local,
    next_weekday,
    receipt_file,
)

pytestmark = pytest.mark.django_db

PRESENT, EXCUSED, ABSENT = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT


@pytest.fixture
def branch():
    return OrganizationFactory(name="星海社区第一党支部")


@pytest.fixture
def secretary(branch):
    return UserFactory(role=Role.ORGANIZER, organization=branch, phone="13812345678")


def record(by, organization, *, days_ago=3, attendance=None, **fields):
    start = timezone.now() - dt.timedelta(days=days_ago)
    values = {
        "kind": MeetingKind.PARTY_LECTURE, "start": start, "end": start + dt.timedelta(hours=1),
        "place": "社区党员活动室", "topic": "学习二十届三中全会精神", "presided_by": "张书记",
        "minutes": "书记讲授党课。", **fields,
    }  # fmt: skip
    return meetings.record_meeting(by=by, organization=organization, attendance=attendance or {}, **values)


def test_a_secretary_records_a_meeting_never_planned_with_its_attendance(branch, secretary):
    a, b, c = (MemberFactory(organization=branch) for _ in range(3))
    meeting = record(
        secretary, branch, attendance={a.pk: (PRESENT, ""), b.pk: (EXCUSED, "出差"), c.pk: (ABSENT, "")}
    )
    assert meeting.status == MeetingStatus.RECORDED and not meeting.late_entry
    assert meeting.recorded_by == secretary and meeting.recorded_at is not None
    rows = {x.member_id: (x.status, x.reason) for x in Attendance.objects.filter(meeting=meeting)}
    assert rows == {a.pk: (PRESENT, ""), b.pk: (EXCUSED, "出差"), c.pk: (ABSENT, "")}


def test_a_record_entered_more_than_30_days_after_is_marked_late(branch, secretary):
    assert record(secretary, branch, days_ago=31).late_entry
    assert not record(secretary, branch, days_ago=29).late_entry


def test_secretary_of_another_branch_or_a_plain_account_may_not_record(branch):
    other = UserFactory(role=Role.ORGANIZER, organization=OrganizationFactory())
    member_account = UserFactory(role=Role.MEMBER, organization=branch)
    for user in (other, member_account):
        with pytest.raises(PermissionDenied):
            record(user, branch)
    assert not Meeting.objects.exists()


def test_community_staff_of_the_area_may_record_and_the_branch_secretary_records_its_groups(
    branch, secretary
):
    staff = StaffFactory(area=branch.area)
    assert record(staff, branch).pk
    group = OrganizationFactory(
        kind=OrganizationKind.GROUP, parent=branch, area=branch.area, name="第一党小组"
    )
    member = MemberFactory(organization=branch, group=group)
    meeting = record(secretary, group, kind=MeetingKind.GROUP_MEETING, attendance={member.pk: (PRESENT, "")})
    assert meeting.attendances.get().member == member


def test_excused_needs_a_reason_and_only_the_roster_is_recorded(branch, secretary):
    member = MemberFactory(organization=branch)
    stranger = MemberFactory()
    with pytest.raises(ValidationError, match="请假须填写原因"):
        record(secretary, branch, attendance={member.pk: (EXCUSED, " ")})
    with pytest.raises(ValidationError, match="不是本组织的党员"):
        record(secretary, branch, attendance={stranger.pk: (PRESENT, "")})
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_the_database_keeps_one_attendance_per_member_per_meeting(branch):
    member = MemberFactory(organization=branch)
    meeting = MeetingFactory(organization=branch)
    Attendance.objects.create(meeting=meeting, member=member, status=PRESENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, member=member, status=ABSENT)


def test_the_database_refuses_an_excuse_without_reason(branch):
    meeting = MeetingFactory(organization=branch)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, member=MemberFactory(organization=branch), status=EXCUSED)


def test_wrong_kind_for_the_organisation_and_a_lecturer_unit_on_another_kind_are_refused(branch, secretary):
    with pytest.raises(ValidationError, match="党小组会应记在党小组名下"):
        record(secretary, branch, kind=MeetingKind.GROUP_MEETING)
    unit = OrganizationFactory(name="苏州工业园区某国企党委", kind=OrganizationKind.COMMITTEE)
    with pytest.raises(ValidationError, match="只有党课可以填写授课单位"):
        record(secretary, branch, kind=MeetingKind.GENERAL_MEETING, given_by=unit)
    lecture = record(secretary, branch, given_by=unit)
    assert lecture.given_by == unit


def test_a_future_meeting_cannot_be_recorded(branch, secretary):
    with pytest.raises(ValidationError, match="尚未召开"):
        record(secretary, branch, days_ago=-2)


def test_within_the_window_a_record_is_rewritten_after_it_only_amended_with_a_reason(branch, secretary):
    member = MemberFactory(organization=branch)
    fresh = record(secretary, branch, attendance={member.pk: (ABSENT, "")})
    again = meetings.record_meeting(
        by=secretary, meeting=fresh, attendance={member.pk: (PRESENT, "")}, minutes="补充"
    )
    assert again.minutes == "补充" and again.attendances.get().status == PRESENT

    settled = record(secretary, branch, days_ago=40, attendance={member.pk: (ABSENT, "")})
    assert settled.locked
    with pytest.raises(ValidationError, match="更正原因"):
        meetings.record_meeting(by=secretary, meeting=settled, attendance={}, minutes="改写")
    with pytest.raises(ValidationError, match="请填写更正原因"):
        meetings.amend_meeting(meeting=settled, by=secretary, reason=" ", minutes="改写")

    amended = meetings.amend_meeting(
        meeting=settled,
        by=secretary,
        reason="签到表核对有误",
        topic="新主题",
        attendance={member.pk: (EXCUSED, "病假")},
    )
    assert amended.topic == "新主题" and amended.attendances.get().reason == "病假"
    amendment = MeetingAmendment.objects.get(meeting=settled)
    assert amendment.reason == "签到表核对有误" and amendment.changes["topic"][1] == "新主题"
    assert amendment.changes["attendance"] == [
        {str(member.pk): ["absent", ""]},
        {str(member.pk): ["excused", "病假"]},
    ]
    assert amended.history.count() >= 2  # the change itself is in the meeting's history too


def test_amendments_are_append_only_in_the_database(branch, secretary):
    settled = record(secretary, branch, days_ago=40)
    meetings.amend_meeting(meeting=settled, by=secretary, reason="错别字", topic="改正后的主题")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingAmendment.objects.update(reason="抹掉")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingAmendment.objects.all().delete()


def test_an_amendment_that_changes_nothing_is_refused(branch, secretary):
    settled = record(secretary, branch, days_ago=40)
    with pytest.raises(ValidationError, match="没有需要更正的内容"):
        meetings.amend_meeting(meeting=settled, by=secretary, reason="无", topic=settled.topic)


def test_attachments_are_checked_like_receipts_and_nothing_is_written_on_a_bad_one(branch, secretary):
    good = record(secretary, branch, attachments=[("sign_in", receipt_file("签到表.pdf"))])
    assert good.attachments.get().kind == "sign_in"
    bad = SimpleUploadedFile("minutes.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        record(secretary, branch, attachments=[("minutes", bad)])
    assert Meeting.objects.count() == 1


def test_a_planned_meeting_in_a_room_books_the_room_and_a_taken_room_saves_nothing(branch, secretary):
    venue = VenueFactory(site__area=branch.area, name="党员活动室")
    start = local(next_weekday(), 14)
    meeting = meetings.plan_meeting(
        organization=branch, by=secretary, kind=MeetingKind.GENERAL_MEETING, start=start,
        end=start + dt.timedelta(hours=1), topic="第一季度党员大会", venue=venue,
    )  # fmt: skip
    booking = Booking.objects.get(meeting=meeting)
    assert (
        booking.venue == venue
        and booking.purpose == Purpose.THREE_MEETINGS
        and booking.organization == branch
    )
    assert meeting.status == MeetingStatus.PLANNED

    BookingFactory(venue=venue, start=local(next_weekday(), 9), end=local(next_weekday(), 11))
    with pytest.raises(ValidationError, match="已被预约"):
        meetings.plan_meeting(
            organization=branch, by=secretary, kind=MeetingKind.COMMITTEE_MEETING,
            start=local(next_weekday(), 10), end=local(next_weekday(), 11), topic="支委会", venue=venue,
        )  # fmt: skip
    assert Meeting.objects.count() == 1


def test_a_planned_meeting_is_marked_held_then_recorded(branch, secretary):
    meeting = MeetingFactory(organization=branch, status=MeetingStatus.PLANNED)
    meetings.mark_held(meeting=meeting, by=secretary)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    with pytest.raises(ValidationError, match="不是计划召开"):
        meetings.mark_held(meeting=meeting, by=secretary)
    recorded = meetings.record_meeting(by=secretary, meeting=meeting, attendance={}, minutes="会议记录")
    assert recorded.status == MeetingStatus.RECORDED
