"""Booking pages: a room's day and week, the booking form, free rooms near me, my bookings, the review queue.

The views parse input and show results; every rule lives in booking.py and availability.py.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from sites.ids import parse_id
from sites.models import Venue
from sites.page_cache import public_page

from . import availability, checkin, dates
from . import booking as operations
from .calendar import feed_response
from .forms import BookingForm, CancelForm, FreeRoomSearchForm, RejectForm, slot_query, with_slot
from .models import Booking, CalendarFeed


def bad_request(request, message):
    return render(request, "400.html", {"message": message}, status=400)


def parse_date(request, name="date"):
    """The date in the query string (today when absent); None when it is malformed or out of range."""
    text = request.GET.get(name)
    if not text:
        return timezone.localdate()
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return date if dates.in_range(date) else None


def room_detail(request, pk):
    """A room's week (or one day with ?view=day): free hour slots link to the booking form."""
    # Not bookable_rooms(): its area join is only needed for staff (may_manage), and the week page
    # is the one a busy organiser reloads most.
    venue = get_object_or_404(Venue.objects.bookable().select_related("site", "booking_rules"), pk=pk)
    date = parse_date(request)
    view = request.GET.get("view", "week")
    if date is None or view not in ("week", "day"):
        return bad_request(
            request, "日期应写成 年-月-日（如 2026-05-01），在 2000 到 2100 年之间；视图应为 week 或 day。"
        )
    # A week is the seven days from the date asked for (today by default), not Monday to Sunday: on a
    # Sunday a Monday-based week would be six days already gone.
    days = 7 if view == "week" else 1
    step = dt.timedelta(days=days)
    context = {
        "venue": venue,
        "rules": availability.VenueRules.for_venue(venue),
        "days": _slot_rows(venue, availability.week_plan(venue, date, days), timezone.localdate()),
        "view": view,
        "date": date,
        "previous": date - step,
        "next": date + step,
        "today": timezone.localdate(),
        "now": timezone.now(),
        "may_manage": request.user.is_authenticated and request.user.can_manage(venue.site.area),
    }
    return render(request, "services/venue_detail.html", context)


def _slot_rows(venue, plans, today):
    """[(plan, [(label, booking, booking-form url)])]: each slot's text and link worked out here, once.

    A week draws ≈60 slots; per-slot template filters and `reverse()` were most of the page's time.
    """
    book = reverse("services:book", args=[venue.pk])
    days = []
    for plan in plans:
        rows = []
        for start, end, booking in plan.slots():
            start, end = timezone.localtime(start), timezone.localtime(end)
            url = f"{book}?{slot_query(start, end)}" if booking is None and plan.date >= today else None
            rows.append((f"{start:%H:%M}–{end:%H:%M}", booking, url))
        days.append((plan, rows))
    return days


def add_errors(form, error):
    """Show a ValidationError from booking.py on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _initial(request, venue):
    """The form's first values: ?start=…&end=… (a clicked slot), ?again=<booking> (book again), or else
    the room's next free hour, so the form never opens on empty date and time boxes."""
    if "again" in request.GET:
        pk = parse_id(request.GET["again"])
        if pk is None:
            return None
        earlier = get_object_or_404(Booking.objects.filter(organizer=request.user), pk=pk)
        return BookingForm.initial_from(earlier, earlier.again_date())
    initial = {"contact_phone": request.user.phone, "organization": request.user.organization_id}
    if "start" in request.GET:
        try:
            start = dt.datetime.fromisoformat(request.GET["start"])
            end = dt.datetime.fromisoformat(request.GET.get("end", ""))
        except ValueError:
            return None
    else:
        start, end = availability.next_free_slot(venue) or availability.default_span()
        start, end = timezone.localtime(start), timezone.localtime(end)
    initial.update(date=start.date(), start_time=start.time(), end_time=end.time())
    return initial


def _carried(data):
    """The booking form's values as posted, as initial values for another room's form."""
    carried = {}
    for name, field in BookingForm.base_fields.items():
        if name in data:
            many = isinstance(field, forms.MultipleChoiceField)
            carried[name] = data.getlist(name) if many else data.get(name)
    return carried


@login_required
def book(request, pk):
    # Not bookable_rooms(): its area join is only needed for staff (may_manage), and the week page
    # is the one a busy organiser reloads most.
    venue = get_object_or_404(Venue.objects.bookable().select_related("site", "booking_rules"), pk=pk)
    context = {"venue": venue, "rules": availability.VenueRules.for_venue(venue)}
    if request.method != "POST":
        initial = _initial(request, venue)
        if initial is None:
            return bad_request(
                request, "链接参数有误：开始和结束时间应写成 年-月-日T时:分（如 2026-05-01T09:00）。"
            )
        context["form"] = BookingForm(initial=initial, user=request.user)
        return render(request, "services/booking_form.html", context)

    data = request.POST
    if "prefill" in data:  # 改订 after a conflict: this room's form with what was typed; nothing booked yet
        context.update(form=BookingForm(initial=_carried(data), user=request.user), carried=True)
        return render(request, "services/booking_form.html", context)
    # "slot": an alternative offered after a conflict, same details at another time. A malformed one
    # keeps the form as typed, with the error above it, rather than losing everything.
    slotted = with_slot(data) if "slot" in data else data
    form = context["form"] = BookingForm(slotted or data, user=request.user)
    if slotted is None:
        form.add_error(None, "所选的改约时段有误：请在下面填写日期和时间，或回到活动室页面重新选择。")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["repeat"]:
                return _book_series(request, venue, form, context)
            booking = operations.book_venue(
                venue=venue,
                organizer=request.user,
                start=data["start"],
                end=data["end"],
                **form.booking_details(),
            )
            messages.success(request, f"预约{operations.NOTICE[booking.status]}：{booking}")
            return redirect("services:my-bookings")
        except ValidationError as error:
            add_errors(form, error)
        except operations.BookingConflict as conflict:
            context["conflict"] = conflict
            context["alternatives"] = availability.alternatives(
                venue, start=conflict.span[0], end=conflict.span[1], attendees=data["attendees"]
            )
    return render(
        request,
        "services/booking_form.html",
        context,
        status=409 if "conflict" in context else 400 if form.errors else 200,
    )


def _book_series(request, venue, form, context):
    """Show each occurrence and its clash first; book all (or all but the clashing) on the second post."""
    data = form.cleaned_data
    spans = operations.series_spans(start=data["start"], end=data["end"], **form.series_rule())
    context["preview"] = operations.preview_series(venue=venue, attendees=data["attendees"], spans=spans)
    context["preview_clashes"] = any(problem for _start, _end, problem in context["preview"])
    action = request.POST.get("action", "preview")
    if action not in ("book_all", "skip"):
        return render(request, "services/booking_form.html", context)
    _, booked, skipped = operations.book_series(
        venue=venue, organizer=request.user, spans=spans, skip_clashing=action == "skip",
        **form.series_rule(), **form.booking_details(),
    )  # fmt: skip
    note = f"，跳过 {len(skipped)} 次" if skipped else ""
    messages.success(request, f"周期预约已提交：共 {len(booked)} 次{note}。")
    return redirect("services:my-bookings")


def _searched_day(request):
    """The bookings a search reads: its day's, as the form reads the date; None (all of them) when the
    form would not read one (then the page is an error, never kept)."""
    try:
        return [availability.day_part(FreeRoomSearchForm.base_fields["date"].clean(request.GET.get("date")))]
    except ValidationError:
        return None if request.GET else []


# Public and the same for every anonymous visitor: served from the shared cache until a room, its rules,
# its site or that day's bookings change; every quarter hour the empty form proposes a new next hour.
@public_page(
    "services:free-rooms",
    "sites.Venue", "sites.Site", "sites.Area", "services.VenueRules", "services.ClosedDate",
    refresh_seconds=15 * 60,
    parts={"services.Booking": _searched_day},
)  # fmt: skip
def free_rooms(request):
    """Free rooms near a point (or in an area) for a span and a head count; a plain GET form."""
    start, end = availability.default_span()
    start, end = timezone.localtime(start), timezone.localtime(end)
    initial = {"date": start.date(), "start_time": start.time(), "end_time": end.time()}
    form = FreeRoomSearchForm(request.GET or None, initial=initial)
    context = {"form": form}
    if form.is_bound:
        if not form.is_valid():
            return render(request, "services/free_rooms.html", context, status=400)
        data = form.cleaned_data
        rooms = availability.bookable_rooms()
        if data["area"] and (data["lat"] is None or data["lng"] is None):
            rooms = rooms.within(data["area"])
        context["results"] = availability.free_rooms(
            rooms, start=data["start"], end=data["end"], attendees=data["attendees"], lat=data["lat"],
            lng=data["lng"], radius_m=data["radius"] or 1000,
        )  # fmt: skip
        context["start"], context["end"] = data["start"], data["end"]
    return render(request, "services/free_rooms.html", context)


@login_required
def my_bookings(request):
    mine = Booking.objects.filter(organizer=request.user).select_related(
        "venue__site", "series", "organization"
    )
    upcoming = mine.upcoming().order_by("start")
    past = mine.past().order_by("-start")
    feed = CalendarFeed.objects.filter(owner=request.user, venue__isnull=True).first()
    return render(
        request,
        "services/booking_list.html",
        {
            "upcoming": Paginator(upcoming, 20).get_page(request.GET.get("upcoming_page")),
            "past": Paginator(past, 20).get_page(request.GET.get("page")),
            "feed": feed,
            "now": timezone.now(),
            "checkin_opens_by": timezone.now() + checkin.CHECK_IN_OPENS,
        },
    )


def _visible_booking(request, pk):
    return get_object_or_404(
        Booking.objects.visible_to(request.user).select_related("venue__site__area"), pk=pk
    )


def _act(request, action):
    """Run one of booking.py's operations; its refusal becomes a message, never an error page."""
    try:
        action()
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    return True


def _safe_next(request, target):
    # Django's own check: a bare prefix test would let "/\\evil.example" through, which browsers read
    # as another host.
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if safe else None


def _back(request, default):
    return redirect(_safe_next(request, request.POST.get("next", "")) or default)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    """GET: say what will be cancelled and ask; POST: cancel. No JavaScript confirm() needed."""
    booking = _visible_booking(request, pk)
    form = CancelForm(request.POST if request.method == "POST" else request.GET)
    form.is_valid()
    and_later = form.cleaned_data.get("and_later", False) and bool(booking.series_id)
    if request.method == "GET":
        targets = operations.cancel_targets(booking=booking, and_later=and_later).select_related(
            "venue__site"
        )
        return render(
            request,
            "services/booking_cancel.html",
            {
                "booking": booking,
                "and_later": and_later,
                "targets": targets.order_by("start")[:200],
                "count": targets.count(),
                "next": _safe_next(request, request.GET.get("next", "")) or reverse("services:my-bookings"),
                "may_cancel": booking.is_live and booking.start > timezone.now(),
            },
        )
    if _act(
        request, lambda: operations.cancel_booking(booking=booking, by=request.user, and_later=and_later)
    ):
        messages.success(request, "预约已取消。" if not and_later else "本次及以后的预约已取消。")
    return _back(request, reverse("services:my-bookings"))


def _staff_only(request):
    if not request.user.is_area_staff:
        raise PermissionDenied("仅限工作人员。")


@login_required
def review_queue(request):
    """The staff's queue: pending requests, oldest first, 30 a page; then the last week's decisions."""
    _staff_only(request)
    mine = Booking.objects.managed_by(request.user).select_related("venue__site", "organizer", "organization")
    pending = Paginator(mine.awaiting_review(), 30).get_page(request.GET.get("page"))
    decided = mine.recently_decided()[:30]
    return render(
        request,
        "services/review_queue.html",
        {"page": pending, "decided": decided, "reject_form": RejectForm()},
    )


@login_required
@require_POST
def approve(request, pk):
    _staff_only(request)
    booking = _visible_booking(request, pk)
    if _act(request, lambda: operations.approve_booking(booking=booking, by=request.user)):
        messages.success(request, f"已批准：{booking}")
    return redirect("services:review-queue")


@login_required
@require_POST
def reject(request, pk):
    return staff_step_with_reason(
        request, pk, RejectForm, "驳回须填写原因。",
        lambda booking, reason: operations.reject_booking(booking=booking, by=request.user, reason=reason),
        lambda booking: f"已驳回：{booking}",
    )  # fmt: skip


def staff_step_with_reason(request, pk, form_class, missing, step, done):
    """A review-queue button that needs a reason: `step(booking, reason)` on the booking `pk` of the
    staff member's area, then back to the queue with `done(booking)` or what refused it."""
    _staff_only(request)
    booking = _visible_booking(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, missing)
        return redirect("services:review-queue")
    reason = form.cleaned_data["reason"]
    if _act(request, lambda: step(booking, reason)):
        messages.success(request, done(booking))
    return redirect("services:review-queue")


@login_required
@require_POST
def regenerate_feed(request):
    """Create the organiser's (or, for staff, a room's) private calendar URL, or replace it."""
    venue = None
    if request.POST.get("venue"):
        _staff_only(request)
        venue = get_object_or_404(
            availability.bookable_rooms().visible_to(request.user), pk=parse_id(request.POST["venue"])
        )
    feed, created = CalendarFeed.objects.get_or_create(owner=request.user, venue=venue)
    if not created:
        feed.regenerate()
    messages.success(request, "新的日历订阅地址已生成，旧地址即刻失效。")
    return _back(request, reverse("services:my-bookings"))


def calendar_feed(request, token):
    """The private URL works only while its owner could still see it: a deactivated account, or staff
    moved to another area, no longer publishes the room's bookings."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("venue__site__area", "owner").filter(owner__is_active=True),
        token=token,
    )
    owner = feed.owner
    if feed.venue and not owner.can_manage(feed.venue.site.area):
        raise Http404("该日历订阅已失效。")
    return feed_response(feed)
