"""book_venue and the operations after it: every rule, conflicts with alternatives, who may do what."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from services.booking import (
    BookingConflict,
    approve_booking,
    book_venue,
    cancel_booking,
    reject_booking,
)
from services.models import Booking, BookingStatus, Purpose
from tests.factories import (
    BookingFactory,
    ClosedDateFactory,
    SiteFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    VenueRulesFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


def book(venue, organizer, start, end, **extra):
    details = {
        "title": "三会一课",
        "purpose": Purpose.THREE_MEETINGS,
        "attendees": 10,
        "contact_phone": "13812345678",
        "group_name": "第一党小组",
    }
    return book_venue(venue=venue, organizer=organizer, start=start, end=end, **{**details, **extra})


@pytest.fixture
def venue():
    return VenueFactory(capacity=20)


@pytest.fixture
def monday():
    return next_weekday(0)


def test_room_without_approval_confirms_at_once(venue, monday):
    booking = book(venue, UserFactory(), local(monday, 9), local(monday, 10))
    assert booking.status == BookingStatus.CONFIRMED
    assert Booking.objects.get().pk == booking.pk


def test_room_needing_approval_holds_the_slot_pending(venue, monday):
    VenueRulesFactory(venue=venue, needs_approval=True)
    booking = book(venue, UserFactory(), local(monday, 9), local(monday, 10))
    assert booking.status == BookingStatus.PENDING
    with pytest.raises(BookingConflict):
        book(venue, UserFactory(), local(monday, 9, 30), local(monday, 10, 30))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ((0, 8), (0, 10), "不在开放时间内"),  # opens at 09:00
        ((0, 16), (0, 18), "不在开放时间内"),  # closes at 17:00
        ((0, 9), (0, 9, 15), "不能少于 30 分钟"),
        ((0, 9), (0, 14), "不能超过 240 分钟"),
        ((0, 10), (0, 9), "结束时间须晚于开始时间"),
    ],
)
def test_rules_refuse_with_chinese_messages(venue, monday, start, end, message):
    def at(spec):
        return local(monday + dt.timedelta(days=spec[0]), *spec[1:])

    with pytest.raises(ValidationError) as error:
        book(venue, UserFactory(), at(start), at(end))
    assert message in " ".join(error.value.messages)
    assert not Booking.objects.exists()


def test_refuses_the_past(venue):
    yesterday = next_weekday(0, weeks=-1)
    with pytest.raises(ValidationError, match="已经过去"):
        book(venue, UserFactory(), local(yesterday, 9), local(yesterday, 10))


def test_refuses_beyond_the_advance_window(venue):
    VenueRulesFactory(venue=venue, advance_days=7)
    far = next_weekday(0, weeks=2)
    with pytest.raises(ValidationError, match="最多提前 7 天"):
        book(venue, UserFactory(), local(far, 9), local(far, 10))


def test_refuses_more_people_than_the_room_holds(venue, monday):
    with pytest.raises(ValidationError, match="超过活动室容纳人数 20 人"):
        book(venue, UserFactory(), local(monday, 9), local(monday, 10), attendees=21)


def test_refuses_a_closed_date(venue, monday):
    ClosedDateFactory(venue=venue, date=monday, reason="国庆假期")
    with pytest.raises(ValidationError, match="闭馆：国庆假期"):
        book(venue, UserFactory(), local(monday, 9), local(monday, 10))


def test_room_hours_override_the_sites(venue, monday):
    VenueRulesFactory(venue=venue, opening_hours={"mon": [["18:00", "21:00"]]})
    assert book(venue, UserFactory(), local(monday, 19), local(monday, 20)).pk
    with pytest.raises(ValidationError, match="不在开放时间内"):
        book(venue, UserFactory(), local(monday, 9), local(monday, 10))


def test_site_closed_on_sunday_afternoon():
    venue = VenueFactory(site=SiteFactory())  # default hours: weekends 09:00–12:00 only
    sunday = next_weekday(6)
    with pytest.raises(ValidationError, match="当天开放：09:00–12:00"):
        book(venue, UserFactory(), local(sunday, 14), local(sunday, 15))


def test_needs_an_organisation_or_a_group_name(venue, monday):
    with pytest.raises(ValidationError) as error:
        book(venue, UserFactory(), local(monday, 9), local(monday, 10), group_name=" ")
    assert "group_name" in error.value.message_dict


def test_bad_phone_is_refused_in_chinese(venue, monday):
    with pytest.raises(ValidationError) as error:
        book(venue, UserFactory(), local(monday, 9), local(monday, 10), contact_phone="abc")
    assert "请填写有效的电话号码" in error.value.message_dict["contact_phone"][0]


def test_overlap_is_a_conflict_naming_the_clash(venue, monday):
    taken = BookingFactory(venue=venue, start=local(monday, 10), end=local(monday, 11))
    with pytest.raises(BookingConflict) as conflict:
        book(venue, UserFactory(), local(monday, 10, 30), local(monday, 11, 30))
    assert conflict.value.clashes == [taken]
    assert Booking.objects.count() == 1


def test_touching_spans_do_not_clash_and_cancelled_ones_free_the_slot(venue, monday):
    BookingFactory(venue=venue, start=local(monday, 10), end=local(monday, 11))
    BookingFactory(
        venue=venue, start=local(monday, 11), end=local(monday, 12), status=BookingStatus.CANCELLED
    )
    assert book(venue, UserFactory(), local(monday, 11), local(monday, 12)).pk
    assert book(venue, UserFactory(), local(monday, 9), local(monday, 10)).pk


def test_overlapping_queryset(venue, monday):
    a = BookingFactory(venue=venue, start=local(monday, 10), end=local(monday, 11))
    BookingFactory(
        venue=venue,
        start=local(monday, 11),
        end=local(monday, 12),
        status=BookingStatus.REJECTED,
        reject_reason="x",
    )
    BookingFactory(start=local(monday, 10), end=local(monday, 11))  # another room
    assert list(Booking.objects.overlapping(venue, (local(monday, 9), local(monday, 12)))) == [a]


@pytest.mark.postgres
def test_database_refuses_overlap_even_without_the_check(venue, monday):
    BookingFactory(venue=venue, start=local(monday, 10), end=local(monday, 11))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(venue=venue, start=local(monday, 10, 30), end=local(monday, 11, 30))
    BookingFactory(
        venue=venue, start=local(monday, 10), end=local(monday, 11), status=BookingStatus.CANCELLED
    )
    assert connection.vendor == "postgresql"


def test_database_refuses_start_after_end(venue, monday):
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(venue=venue, start=local(monday, 11), end=local(monday, 10))


def test_organizer_cancels_before_start_only(venue, monday):
    booking = BookingFactory(venue=venue)
    with pytest.raises(PermissionDenied):
        cancel_booking(booking=booking, by=UserFactory())
    cancel_booking(booking=booking, by=booking.organizer)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    with pytest.raises(ValidationError, match="无需取消"):
        cancel_booking(booking=booking, by=booking.organizer)
    started = BookingFactory(
        venue=venue, start=local(next_weekday(0, -1), 10), end=local(next_weekday(0, -1), 11)
    )
    with pytest.raises(ValidationError, match="不能取消"):
        cancel_booking(booking=started, by=started.organizer)


@pytest.mark.django_db(transaction=True)
def test_staff_of_the_area_approve_and_reject_and_the_organizer_is_emailed(monday):
    venue = VenueFactory()
    staff = StaffFactory(area=venue.site.area)
    outsider = StaffFactory()
    organizer = UserFactory(email="org@example.com")
    first = BookingFactory(venue=venue, organizer=organizer, status=BookingStatus.PENDING)
    second = BookingFactory(
        venue=venue,
        organizer=organizer,
        status=BookingStatus.PENDING,
        start=local(monday, 14),
        end=local(monday, 15),
    )
    with pytest.raises(PermissionDenied):
        approve_booking(booking=first, by=outsider)
    with pytest.raises(PermissionDenied):
        approve_booking(booking=first, by=organizer)
    approve_booking(booking=first, by=staff)
    with pytest.raises(ValidationError, match="填写原因"):
        reject_booking(booking=second, by=staff, reason="  ")
    reject_booking(booking=second, by=staff, reason="当天有上级检查")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decided_by) == (BookingStatus.CONFIRMED, staff)
    assert (second.status, second.reject_reason) == (BookingStatus.REJECTED, "当天有上级检查")
    assert [m.to for m in mail.outbox] == [["org@example.com"], ["org@example.com"]]
    assert "未通过审核" in mail.outbox[1].subject and "当天有上级检查" in mail.outbox[1].body
    with pytest.raises(ValidationError, match="已处理过"):
        approve_booking(booking=second, by=staff)


def test_organisation_must_be_the_organizers(venue, monday):
    from tests.factories import OrganizationFactory

    mine = OrganizationFactory()
    organizer = UserFactory(organization=mine)
    with pytest.raises(ValidationError, match="自己所属"):
        book(venue, organizer, local(monday, 9), local(monday, 10), organization=OrganizationFactory())
    assert book(venue, organizer, local(monday, 9), local(monday, 10), organization=mine).held_by == mine.name


def test_staff_book_only_for_their_own_areas_organisations(venue, monday):
    from tests.factories import OrganizationFactory

    staff = StaffFactory(area=venue.site.area)
    elsewhere = OrganizationFactory()  # another community's branch
    with pytest.raises(ValidationError, match="本人负责区域内"):
        book(venue, staff, local(monday, 9), local(monday, 10), organization=elsewhere)
    ours = OrganizationFactory(area=venue.site.area)
    assert book(venue, staff, local(monday, 9), local(monday, 10), organization=ours).held_by == ours.name


def test_phone_is_masked_to_all_but_organizer_and_area_staff(venue):
    booking = BookingFactory(venue=venue, contact_phone="13812345678")
    assert booking.phone_for(booking.organizer) == "13812345678"
    assert booking.phone_for(StaffFactory(area=venue.site.area)) == "13812345678"
    assert booking.phone_for(StaffFactory()) == "138****5678"
    assert booking.phone_for(UserFactory()) == "138****5678"
