"""三会一课: plan a meeting, mark it held, record it (minutes, attendance, attachments), amend a settled
record. The one write path for the pages, the admin and the API.

A meeting in a site's room books the room in the same transaction. Booking is the services app's, above
this one, so it fills a slot here (`register_room_booker`, from services' AppConfig.ready) instead of
this module importing it; without a booker (services not installed) only "other places" are accepted.

The record of a meeting may be entered until RECORD_WINDOW after it; later it is marked 补录. Past that
window a recorded meeting changes only through `amend_meeting`, which writes what changed and why to the
append-only MeetingAmendment next to the change itself.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingAmendment,
    MeetingAttachment,
    MeetingKind,
    MeetingStatus,
    Member,
    OrganizationKind,
)
from .models.meetings import RECORD_WINDOW

_room_booker = None

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the calendar every page accepts

# What a record (and an amendment) may set; the rest (status, who, when) is this module's.
RECORD_FIELDS = ("kind", "start", "end", "venue", "place", "topic", "presided_by", "given_by", "minutes")


def register_room_booker(booker):
    """services registers `booker(*, meeting, by, contact_phone)`: books meeting.venue for its span and
    links the booking, raising ValidationError or its conflict error; called in the meeting's transaction."""
    global _room_booker
    _room_booker = booker


def roster(meeting_or_organization):
    """The members whose attendance a meeting of this organisation records: a 党小组's members for a
    党小组, the organisation's members otherwise."""
    organization = getattr(meeting_or_organization, "organization", meeting_or_organization)
    if organization.kind == OrganizationKind.GROUP:
        return Member.objects.filter(group=organization).order_by("name", "pk")
    return Member.objects.filter(organization=organization).order_by("name", "pk")


def _check_rights(by, organization):
    if not by.keeps_records_of(organization):
        raise PermissionDenied("只有该党组织的书记或所在区域的工作人员可以记录组织生活。")


def _check_fields(meeting):
    errors = {}
    if meeting.kind == MeetingKind.GROUP_MEETING and meeting.organization.kind != OrganizationKind.GROUP:
        errors["kind"] = "党小组会应记在党小组名下。"
    if meeting.kind == MeetingKind.COMMITTEE_MEETING and meeting.organization.kind == OrganizationKind.GROUP:
        errors["kind"] = "党小组没有支委会，请选择所属党支部。"
    if meeting.given_by_id and meeting.kind != MeetingKind.PARTY_LECTURE:
        errors["given_by"] = "只有党课可以填写授课单位。"
    for name in ("start", "end"):
        value = getattr(meeting, name)
        # The year in UTC: turning 9999-12-31 23:00Z into Shanghai time would overflow.
        if value is not None and not (FIRST_YEAR <= value.year <= LAST_YEAR):
            errors[name] = "会议时间应在 2000 年到 2100 年之间。"
    if meeting.venue_id is None and not meeting.place.strip():
        errors["place"] = "请选择活动室或填写地点。"
    if meeting.venue_id is not None:
        meeting.place = ""
    if errors:
        raise ValidationError(errors)
    meeting.full_clean(exclude=["organization", "venue", "given_by", "created_by", "recorded_by"])


def plan_meeting(*, organization, by, kind, start, end, topic, venue=None, place="", presided_by="",
                 given_by=None, contact_phone=""):  # fmt: skip
    """A meeting ahead: in `venue` (booked now, in this transaction) or at `place`."""
    _check_rights(by, organization)
    meeting = Meeting(
        organization=organization, kind=kind, start=start, end=end, topic=topic, venue=venue,
        place=place or "", presided_by=presided_by or "", given_by=given_by, created_by=by,
    )  # fmt: skip
    _check_fields(meeting)
    if start <= timezone.now():
        raise ValidationError({"start": "计划召开的会议须在今后；已经开过的会议请直接记录。"})
    if venue is not None and _room_booker is None:
        raise ValidationError({"venue": "暂不能在此预约活动室，请填写地点。"})
    with transaction.atomic():
        meeting.save()
        if venue is not None:
            _room_booker(meeting=meeting, by=by, contact_phone=contact_phone or by.phone)
    return meeting


def mark_held(*, meeting, by):
    """The planned meeting took place (its record may follow)."""
    _check_rights(by, meeting.organization)
    if meeting.start > timezone.now():
        raise ValidationError("会议尚未开始，不能标记为已召开。")
    changed = Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.PLANNED).update(
        status=MeetingStatus.HELD
    )
    if not changed:
        raise ValidationError("该会议已不是计划召开状态。")
    meeting.status = MeetingStatus.HELD
    return meeting


def _attendance_rows(meeting, attendance):
    """Attendance rows from {member_id: (status, reason)}; every member must be on the roster."""
    allowed = set(roster(meeting).values_list("pk", flat=True))
    errors, rows = [], []
    for member_id, (status, reason) in attendance.items():
        reason = (reason or "").strip()
        if member_id not in allowed:
            errors.append(f"党员 {member_id} 不是本组织的党员。")
        elif status not in AttendanceStatus.values:
            errors.append(f"党员 {member_id} 的出席情况无效（出席、请假或缺席）。")
        elif status == AttendanceStatus.EXCUSED and not reason:
            errors.append("请假须填写原因。")
        else:
            reason = reason if status == AttendanceStatus.EXCUSED else ""
            rows.append(Attendance(meeting=meeting, member_id=member_id, status=status, reason=reason[:100]))
    if errors:
        raise ValidationError({"attendance": errors})
    return rows


def _save_attendance(meeting, rows):
    """Replace the meeting's attendance with `rows` (one per member: the unique index holds it)."""
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create(rows)


def _save_attachments(meeting, by, attachments):
    for kind, file in attachments:
        attachment = MeetingAttachment(meeting=meeting, kind=kind, file=file, uploaded_by=by)
        attachment.full_clean(exclude=["meeting", "uploaded_by"])
        attachment.save()


def record_meeting(*, by, organization=None, meeting=None, attendance, attachments=(), now=None, **fields):
    """Record a meeting that took place: a planned/held one (`meeting`), or one never planned (a new
    record for `organization`). Sets minutes and the other RECORD_FIELDS, the attendance of the roster
    ({member_id: (status, reason)}) and adds attachments [(kind, file)]. Late records are marked 补录;
    a settled record (past the window) is refused here: `amend_meeting` it.
    """
    now = now or timezone.now()
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"record_meeting() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        if meeting is None:
            meeting = Meeting(organization=organization, created_by=by)
        else:
            meeting = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
            if meeting.locked:
                raise ValidationError("会议已超过 30 天，记录已归档，修改请填写更正原因。")
        _check_rights(by, meeting.organization)
        for name, value in fields.items():
            setattr(meeting, name, value)
        _check_fields(meeting)
        if meeting.start > now:
            raise ValidationError({"start": "会议尚未召开，不能记录；请先计划召开。"})
        meeting.status = MeetingStatus.RECORDED
        meeting.recorded_at, meeting.recorded_by = now, by
        meeting.late_entry = now > meeting.start + RECORD_WINDOW
        rows = _attendance_rows(meeting, attendance)
        meeting.save()
        _save_attendance(meeting, rows)
        _save_attachments(meeting, by, attachments)
    return meeting


def _shown(value):
    """A field's value as the amendment's JSON keeps it (a date as text, a room as its id)."""
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def amend_meeting(*, meeting, by, reason, attendance=None, **fields):
    """Change a settled record: the changed fields (and attendance) with the reason, kept in the
    append-only MeetingAmendment. Within the record window, use record_meeting instead."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写更正原因。"})
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"amend_meeting() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
        _check_rights(by, meeting.organization)
        if meeting.status != MeetingStatus.RECORDED:
            raise ValidationError("只有已记录的会议需要更正；请直接记录。")
        changes = {}
        for name, value in fields.items():
            old = getattr(meeting, name)
            if old != value:
                changes[name] = [_shown(old), _shown(value)]
                setattr(meeting, name, value)
        if attendance is not None:
            before = {a.member_id: [a.status, a.reason] for a in meeting.attendances.all()}
            rows = _attendance_rows(meeting, attendance)
            after = {a.member_id: [a.status, a.reason] for a in rows}
            if before != after:
                changes["attendance"] = [
                    {str(k): v for k, v in before.items() if after.get(k) != v},
                    {str(k): v for k, v in after.items() if before.get(k) != v},
                ]
                _save_attendance(meeting, rows)
        if not changes:
            raise ValidationError("没有需要更正的内容。")
        _check_fields(meeting)
        meeting.save()
        MeetingAmendment.objects.create(meeting=meeting, by=by, reason=reason[:200], changes=changes)
    return meeting


def add_attachment(*, meeting, by, kind, file):
    _check_rights(by, meeting.organization)
    with transaction.atomic():
        _save_attachments(meeting, by, [(kind, file)])
    return meeting
