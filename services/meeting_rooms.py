"""The room of a 三会一课 meeting: members/meetings.py plans the meeting, this books its room through
`book_venue` in the same transaction (registered into members' slot by ServicesConfig.ready)."""

from django.core.exceptions import ValidationError

from members.models import MeetingKind

from .booking import BookingConflict, book_venue
from .models import Booking, Purpose

PURPOSE_OF_MEETING = dict.fromkeys(MeetingKind.values, Purpose.THREE_MEETINGS) | {
    MeetingKind.THEME_DAY: Purpose.PARTY_DAY
}


def book_meeting_room(*, meeting, by, contact_phone):
    """Book meeting.venue for the meeting's span and link the booking. A taken slot is a ValidationError
    on the room (members' pages know no BookingConflict), so the meeting is not saved either."""
    organization = meeting.organization
    if not by.is_area_staff and by.organization_id != organization.pk:
        # A branch secretary books their 党小组's meetings in the branch's name.
        organization = by.organization
    try:
        booking = book_venue(
            venue=meeting.venue, organizer=by, start=meeting.start, end=meeting.end,
            title=f"{meeting.get_kind_display()}：{meeting.topic}"[:100],
            purpose=PURPOSE_OF_MEETING[meeting.kind],
            attendees=max(1, min(meeting.venue.capacity, meeting.organization.members.count())),
            contact_phone=contact_phone, organization=organization,
        )  # fmt: skip
    except BookingConflict as error:
        raise ValidationError({"venue": f"{error}（{meeting.venue}）"}) from error
    Booking.objects.filter(pk=booking.pk).update(meeting=meeting)
    booking.meeting = meeting
    return booking
