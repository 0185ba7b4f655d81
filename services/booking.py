"""Booking a room, and what happens to a booking after: the one code path for pages, admin and API.

`book_venue` checks the room's rules with friendly Chinese messages, then checks for a clash and
inserts in one transaction. On SQLite that transaction is IMMEDIATE, so writers queue and the check
holds; on PostgreSQL the exclusion constraint (migration 0002) is the check, whoever races: it refuses
an overlapping insert, which becomes the same `BookingConflict` (with the clashes it hit) as on SQLite.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from members.models import Organization
from members.notify import notify
from sites.page_cache import writes_to

from .availability import days_of, fits_opening, week_plan
from .models import Booking, BookingSeries, BookingStatus, ClosedDate, VenueRules
from .no_shows import review_reason
from .recurrence import occurrence_dates

EXCLUSION_VIOLATION = "23P01"  # PostgreSQL's SQLSTATE for a violated exclusion constraint


class BookingConflict(Exception):
    """The span is taken: `clashes` are the live bookings it overlaps (possibly empty after a race)."""

    def __init__(self, venue, span, clashes):
        self.venue, self.span, self.clashes = venue, span, clashes
        super().__init__("该时段已被预约，请换一个时间或活动室。")


def rule_errors(*, venue, start, end, attendees, now=None):
    """Why [start, end) for `attendees` breaks the room's rules, as Chinese messages (empty: it doesn't)."""
    now = now or timezone.now()
    rules = VenueRules.for_venue(venue)
    errors = []
    if not (venue.is_bookable and venue.site.is_active):
        return ["该活动室暂不接受预约。"]
    if start >= end:
        return ["结束时间须晚于开始时间。"]
    if start < now:
        errors.append("不能预约已经过去的时间。")
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    last_day = timezone.localdate(now) + dt.timedelta(days=rules.advance_days)
    if local_start.date() > last_day:
        errors.append(f"该活动室最多提前 {rules.advance_days} 天预约（最晚可约 {last_day:%Y-%m-%d}）。")
    minutes = (end - start).total_seconds() / 60
    if minutes < rules.min_minutes:
        errors.append(f"预约时长不能少于 {rules.min_minutes} 分钟。")
    if minutes > rules.max_minutes:
        errors.append(f"预约时长不能超过 {rules.max_minutes} 分钟。")
    if attendees is not None and attendees > venue.capacity:
        errors.append(f"预计人数 {attendees} 人超过活动室容纳人数 {venue.capacity} 人。")
    if local_start.date() != local_end.date() or not fits_opening(rules, start, end):
        errors.append(f"所选时间不在开放时间内（当天开放：{rules.hours.label_on(local_start.date())}）。")
    closed = ClosedDate.objects.filter(venue=venue, date=local_start.date()).first()
    if closed:
        errors.append(f"{closed.date:%Y-%m-%d} 闭馆：{closed.reason}。")
    return errors


def _new_booking(
    *,
    venue,
    organizer,
    start,
    end,
    title,
    purpose,
    attendees,
    contact_phone,
    organization,
    group_name,
    series=None,
):
    """An unsaved Booking that passed the rules and field checks (raises ValidationError otherwise)."""
    errors = rule_errors(venue=venue, start=start, end=end, attendees=attendees)
    if errors:
        raise ValidationError(errors)
    if organization is None and not (group_name or "").strip():
        raise ValidationError({"group_name": "请选择党组织，或填写团体名称。"})
    if organization is not None and organization.pk != organizer.organization_id:
        # Staff book for the organisations of their own area, organisers only for their own.
        if not organizer.is_area_staff:
            raise ValidationError({"organization": "只能以自己所属的党组织名义预约。"})
        if not Organization.objects.visible_to(organizer).filter(pk=organization.pk).exists():
            raise ValidationError({"organization": "只能以本人负责区域内党组织的名义预约。"})
    rules = VenueRules.for_venue(venue)
    # An organiser with too many no-shows books only with approval, whatever the room's rule says.
    held = "" if rules.needs_approval else review_reason(organizer)
    booking = Booking(
        venue=venue,
        organizer=organizer,
        start=start,
        end=end,
        title=title,
        purpose=purpose,
        attendees=attendees,
        contact_phone=contact_phone,
        organization=organization,
        group_name=(group_name or "").strip(),
        series=series,
        status=BookingStatus.PENDING if rules.needs_approval or held else BookingStatus.CONFIRMED,
        review_reason=held,
    )
    booking.full_clean(exclude=["venue", "organizer", "series", "organization"], validate_constraints=False)
    return booking


def _clashes(booking):
    return list(Booking.objects.overlapping(booking.venue_id, booking.span).order_by("start"))


def _insert(booking):
    """Check for a clash and insert, atomically; a clash (found or raced) is a BookingConflict.

    On PostgreSQL the exclusion constraint is the check: the insert itself is refused, and only then are
    the clashes looked up for the message (a query less for every booking that succeeds).
    """
    try:
        with transaction.atomic():
            if connections[Booking.objects.db].vendor != "postgresql":
                clashes = _clashes(booking)
                if clashes:
                    raise BookingConflict(booking.venue, booking.span, clashes)
            with writes_to(Booking, *days_of(booking.span)):
                booking.save()
            notify_organizer(booking)
    except IntegrityError as error:
        if getattr(error.__cause__, "sqlstate", None) != EXCLUSION_VIOLATION:
            raise
        raise BookingConflict(booking.venue, booking.span, _clashes(booking)) from error
    return booking


def book_venue(
    *,
    venue,
    organizer,
    start,
    end,
    title,
    purpose,
    attendees,
    contact_phone,
    organization=None,
    group_name="",
):
    """Book `venue` for [start, end): confirmed at once, or pending when the room needs approval.

    Raises ValidationError (rules, fields) or BookingConflict (the span is taken).
    """
    booking = _new_booking(
        venue=venue, organizer=organizer, start=start, end=end, title=title, purpose=purpose,
        attendees=attendees, contact_phone=contact_phone, organization=organization, group_name=group_name,
    )  # fmt: skip
    return _insert(booking)


def series_spans(*, start, end, frequency, weekdays, week_of_month=None, until=None, count=None):
    """(start, end) of each occurrence: the first booking's times on every date the rule gives."""
    if not until and not count:
        raise ValidationError("请填写重复的截止日期或次数。")
    if not weekdays:
        raise ValidationError("请选择星期几。")
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    dates = occurrence_dates(
        frequency=frequency, first_date=local_start.date(), weekdays=weekdays, week_of_month=week_of_month,
        until=until, count=count,
    )  # fmt: skip
    return [
        (
            timezone.make_aware(dt.datetime.combine(date, local_start.time())),
            timezone.make_aware(dt.datetime.combine(date, local_end.time())),
        )
        for date in dates
    ]


def preview_series(*, venue, attendees, spans):
    """[(start, end, problem)] for each occurrence: problem is '' or why it cannot be booked."""
    first = timezone.localtime(spans[0][0]).date() if spans else timezone.localdate()
    last = timezone.localtime(spans[-1][0]).date() if spans else first
    busy = [b.span for plan in week_plan(venue, first, (last - first).days + 1) for b in plan.busy]
    rows = []
    for start, end in spans:
        errors = rule_errors(venue=venue, start=start, end=end, attendees=attendees)
        if not errors and any(b_start < end and start < b_end for b_start, b_end in busy):
            errors = ["已被预约"]
        rows.append((start, end, "；".join(errors)))
    return rows


def book_series(
    *,
    venue,
    organizer,
    spans,
    skip_clashing,
    frequency,
    weekdays,
    week_of_month=None,
    until=None,
    count=None,
    **details,
):
    """Book every occurrence in one transaction: all or nothing, unless `skip_clashing`.

    With `skip_clashing`, occurrences that break a rule or clash (even by a race) are left out and
    returned as `skipped`; without it the first one raises and nothing is written.
    Returns (series, booked, skipped).
    """
    booked, skipped = [], []
    with transaction.atomic():
        series = BookingSeries.objects.create(
            venue=venue, organizer=organizer, frequency=frequency, weekdays=weekdays,
            week_of_month=week_of_month, until=until, count=count,
        )  # fmt: skip
        for start, end in spans:
            try:
                booking = _new_booking(venue=venue, organizer=organizer, start=start, end=end, series=series,
                                       **details)  # fmt: skip
                booked.append(_insert(booking))
            except (ValidationError, BookingConflict):
                if not skip_clashing:
                    raise
                skipped.append((start, end))
        if not booked:
            raise ValidationError("没有可以预约的场次。")
    return series, booked, skipped


def cancel_targets(*, booking, and_later=False):
    """The live bookings `cancel_booking` would cancel: this one, or with `and_later` the rest of its
    series from this one on. The confirmation page lists exactly these."""
    if and_later and booking.series_id:
        return Booking.objects.live().filter(series=booking.series_id, start__gte=booking.start)
    return Booking.objects.filter(pk=booking.pk).live()


def cancel_booking(*, booking, by, and_later=False):
    """Cancel before the start: the organiser, or staff of the room's area. `and_later`: the series' rest.

    Returns the cancelled bookings.
    """
    if by.pk != booking.organizer_id and not by.can_manage(booking.venue.site.area):
        raise PermissionDenied("只有预约人或该区域的工作人员可以取消预约。")
    if not booking.is_live:
        raise ValidationError(f"该预约{booking.get_status_display()}，无需取消。")
    if booking.start <= timezone.now():
        raise ValidationError("活动已经开始或结束，不能取消。")
    with transaction.atomic():
        targets = cancel_targets(booking=booking, and_later=and_later)
        cancelled = list(targets.select_for_update().select_related("venue__site", "organizer"))
        now = timezone.now()
        with writes_to(Booking, *days_of(*(b.span for b in cancelled))):
            Booking.objects.filter(pk__in=[b.pk for b in cancelled]).update(
                status=BookingStatus.CANCELLED, cancelled_by=by, cancelled_at=now
            )
    for b in [*cancelled, booking]:
        b.status, b.cancelled_by, b.cancelled_at = BookingStatus.CANCELLED, by, now
    return cancelled


def _decide(*, booking, by, status, reason=""):
    if not by.can_manage(booking.venue.site.area):
        raise PermissionDenied("只有该区域的工作人员可以审核预约。")
    with transaction.atomic():
        # The conditional UPDATE decides once even if two staff click at the same moment.
        changed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.PENDING).update(
            status=status, reject_reason=reason, decided_by=by, decided_at=timezone.now()
        )
        if not changed:
            raise ValidationError("该预约已处理过，不是待审核状态。")
        booking.refresh_from_db()
        notify_organizer(booking)
    return booking


def approve_booking(*, booking, by):
    return _decide(booking=booking, by=by, status=BookingStatus.CONFIRMED)


def reject_booking(*, booking, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "驳回须填写原因。"})
    return _decide(booking=booking, by=by, status=BookingStatus.REJECTED, reason=reason)


NOTICE = {
    BookingStatus.CONFIRMED: "已确认",
    BookingStatus.PENDING: "已提交，等待工作人员审核",
    BookingStatus.REJECTED: "未通过审核",
    BookingStatus.NO_SHOW: "因开始 15 分钟后无人签到已释放（未到场）",
}


def booking_context(booking):
    """What a message about `booking` shows (JSON values: it is stored with the notification)."""
    return {
        "title": booking.title,
        "venue": str(booking.venue),
        "span": booking.span_label,
        "reject_reason": booking.reject_reason,
        "review_reason": booking.review_reason,
    }


def notify_organizer(booking):
    """Tell the organiser what became of their booking, in the transaction that decided it (the outbox)."""
    notify(
        recipient=booking.organizer,
        template="booking_status",
        context={**booking_context(booking), "notice": NOTICE[booking.status]},
        key=f"booking:{booking.pk}:{booking.status}",
    )
