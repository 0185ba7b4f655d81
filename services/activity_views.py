"""Activity pages: the public list and an activity's page, signing up and withdrawing, 我的活动.

The views parse input and show results; every rule lives in activities.py.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms.utils import flatatt
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods, require_POST

from sites.ids import ModelMultipleIdChoiceField, parse_id
from sites.models import Area, AreaLevel, Site

from . import activities as operations
from . import availability, calendar, dates
from .activity_forms import ActivityForm
from .booking import BookingConflict
from .models import Activity, ActivityKind, Signup, SignupStatus
from .points_shown import with_points
from .views import add_errors, bad_request


class PlainSelect(forms.Select):
    """Django's <select> for flat choices without option attributes, written in Python: its templates
    render each <option> through two more (select_option.html, attrs.html), which for the filter's 118
    streets was a quarter of the district page's time in-process."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        attributes = flatatt(widget["attrs"])
        return format_html('<select name="{}"{}>{}</select>', widget["name"], attributes, options)


def area_choices(level):
    # Only what a choice and `within()` read: an area's boundary (GeoJSON) is most of its row.
    return Area.objects.filter(level=level).only("pk", "name", "path").order_by("path")


class ActivityFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        area_choices(AreaLevel.DISTRICT), required=False, label="区", widget=PlainSelect
    )
    street = forms.ModelChoiceField(
        area_choices(AreaLevel.TOWN), required=False, label="镇/街道", widget=PlainSelect
    )
    kind = forms.ChoiceField(
        choices=[("", "全部类型"), *ActivityKind.choices], required=False, label="类型", widget=PlainSelect
    )
    date = forms.DateField(required=False, label="日期", validators=[dates.check_in_range])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].empty_label = self.fields["street"].empty_label = "全部"
        self.fields["date"].widget.input_type = "date"


def activity_list(request):
    """Published activities still ahead (or on one date), filtered by district, street and kind."""
    form = ActivityFilterForm(request.GET)
    if not form.is_valid():
        return bad_request(
            request, "筛选条件有误：" + "；".join(e for es in form.errors.values() for e in es)
        )
    found = Activity.objects.published().cards()
    data = form.cleaned_data
    for area in (data["district"], data["street"]):
        if area:
            found = found.within(area)
    if data["kind"]:
        found = found.filter(kind=data["kind"])
    if data["date"]:
        day = timezone.make_aware(dt.datetime.combine(data["date"], dt.time()))
        found = found.filter(start__gte=day, start__lt=day + dt.timedelta(days=1))  # a range: indexed
    else:
        found = found.upcoming()
    page = Paginator(found.order_by("start", "pk"), 20).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request, "services/activity_list.html", {"form": form, "page": page, "query": params.urlencode()}
    )


SITES_OFFERED = 30


def _sites_to_offer(request):
    """The sites the publish page offers (up to SITES_OFFERED), with the search text: those whose name
    holds ?q=, else the staff's own area's, else the sites of the organiser's recent bookings."""
    q = request.GET.get("q", "").strip()[:50]
    sites = Site.objects.active().select_related("area").only("pk", "name", "area__name")
    if q:
        sites = sites.filter(name__contains=q)
    elif request.user.is_area_staff:
        sites = sites.visible_to(request.user)
    else:
        sites = sites.filter(venues__bookings__organizer=request.user).distinct()
    return list(sites.order_by("name", "pk")[:SITES_OFFERED]), q


@login_required
@require_http_methods(["GET", "POST"])
def publish(request):
    """发布活动: choose the site (?site=), then the form; the room is booked with it by publish_activity.
    A taken room or bad input shows the form again as typed, with the reason in Chinese."""
    if "site" not in request.GET:
        sites, q = _sites_to_offer(request)
        context = {"sites": sites, "q": q, "limit": SITES_OFFERED}
        return render(request, "services/activity_site_choice.html", context)
    site_id = parse_id(request.GET["site"])
    if site_id is None:
        return bad_request(request, "阵地编号有误：请从阵地页面点“发布活动”，或在发布页面搜索阵地。")
    site = get_object_or_404(Site.objects.active().select_related("area"), pk=site_id)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        site=site,
        user=request.user,
        initial=ActivityForm.initial_for(request.user),
    )
    context = {"form": form, "site": site}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                activity = operations.publish_activity(by=request.user, site=site, **form.publish_arguments())
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as error:
                form.add_error("venue", str(error))
                status = 403
            except BookingConflict as conflict:
                form.add_error("venue", str(conflict))
                context.update(conflict=conflict, alternatives=_alternatives(conflict, form))
                status = 409
            else:
                messages.success(request, f"活动已发布：{activity}")
                return redirect(activity)
    return render(request, "services/activity_form.html", context, status=status)


def _alternatives(conflict, form):
    """The taken room's other free times that day, and the site's other rooms free at that time."""
    venue, (start, end) = conflict.venue, conflict.span
    attendees = min(form.cleaned_data["capacity"], venue.capacity)
    found = availability.alternatives(venue, start=start, end=end, attendees=attendees)
    return {
        "same_room": found.same_room_offers,
        "same_site": [room for room in found.nearby if room.site_id == form.site.pk],
    }


def activity_detail(request, pk):
    activity = get_object_or_404(
        Activity.objects.select_related("site__area", "venue", "organization", "organizer", "point_rule"),
        pk=pk,
    )
    mine = None
    if request.user.is_authenticated:
        mine = activity.signups.live().filter(user=request.user).first()
    position = None
    if mine and mine.status == SignupStatus.WAITLISTED:
        ahead = Q(created_at__lt=mine.created_at) | Q(created_at=mine.created_at, pk__lte=mine.pk)
        position = activity.signups.waitlist().filter(ahead).count()
    return render(
        request,
        "services/activity_detail.html",
        {
            "activity": activity,
            "mine": mine,
            "position": position,
            "now": timezone.now(),
            "closed_reason": operations.eligibility_problem(activity, request.user) if not mine else "",
            "may_manage": operations.may_change(activity, request.user),
            "may_change": operations.may_change(activity, request.user) and activity.start > timezone.now(),
            "points_each": operations.points_for_attending(activity),
        },
    )


def _act(request, action):
    """Run an operation; a refusal becomes a message on the activity's page, never an error page."""
    try:
        return action()
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except operations.ActivityClosed as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return None


@login_required
@require_POST
def signup(request, pk):
    activity = get_object_or_404(Activity, pk=pk)
    done = _act(request, lambda: operations.sign_up(activity=activity, user=request.user))
    if done and done.status == SignupStatus.SIGNED_UP:
        messages.success(request, "报名成功，请按时参加。")
    elif done:
        messages.warning(request, "名额已满，您已进入候补名单；有人取消时将按顺序递补并通知您。")
    return redirect(activity)


@login_required
@require_POST
def cancel_signup(request, pk):
    activity = get_object_or_404(Activity, pk=pk)
    if _act(request, lambda: operations.cancel_signup(activity=activity, user=request.user)):
        messages.success(request, "已取消报名。")
    return redirect(activity)


@login_required
@require_POST
def cancel_activity(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("site__area", "booking"), pk=pk)
    if _act(request, lambda: operations.cancel_activity(activity=activity, by=request.user)):
        messages.success(request, "活动已取消，已通知所有报名人。")
    return redirect(activity)


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, pk):
    """Where the QR code at the door leads: GET shows a button (a link alone must not check anyone in),
    POST checks the signed-in person in."""
    activity = get_object_or_404(Activity.objects.select_related("site", "venue"), pk=pk)
    if request.method == "POST":
        done = _act(request, lambda: operations.check_in(activity=activity, user=request.user))
        if done:
            messages.success(request, "签到成功，欢迎参加！" if done[1] else "您已签到过，无需重复签到。")
        return redirect("services:activity-checkin", pk=activity.pk)
    mine = activity.signups.live().filter(user=request.user).first()
    return render(
        request,
        "services/activity_checkin.html",
        {
            "activity": activity,
            "mine": mine,
            "closed_reason": operations.check_in_problem(activity, timezone.now()),
        },
    )


def attendance_label(signup):
    """张三 · 08:55 扫码签到 (or 组织者补签, 未签到), and whether attending earns them points."""
    if signup.checked_in_at is None:
        how = "未签到"
    else:
        how = f"{timezone.localtime(signup.checked_in_at):%H:%M} " + (
            "组织者补签" if signup.checked_in_by_id else "扫码签到"
        )
    volunteer = "" if hasattr(signup.user, "volunteer") else " · 未登记为志愿者，不记积分"
    return f"{signup.user} · {how}{volunteer}"


class AttendanceForm(forms.Form):
    """The organiser's list: everyone with a place, ticked when they checked in; ticks can be corrected."""

    attended = ModelMultipleIdChoiceField(
        Signup.objects.none(),
        required=False,
        label="实际到场",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "所选人员不在报名名单中，请刷新页面后重新勾选。",
            "invalid_pk_value": "所选人员的编号“%(pk)s”有误，请刷新页面后重新勾选。",
        },
    )

    def __init__(self, *args, signups, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.queryset = signups
        field.label_from_instance = attendance_label
        if not self.is_bound:
            self.initial["attended"] = [s.pk for s in signups if s.checked_in_at]


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """确认出勤: the organiser (or the area's staff) sees who checked in, corrects it and confirms once."""
    activity = get_object_or_404(
        Activity.objects.select_related("site__area", "venue", "point_rule", "attendance_confirmed_by"), pk=pk
    )
    if not operations.may_change(activity, request.user):
        raise PermissionDenied("只有活动发布人或该区域的工作人员可以确认出勤。")
    signups = (
        activity.signups.filter(status=SignupStatus.SIGNED_UP)
        .select_related("user__volunteer", "checked_in_by")
        .order_by("created_at", "pk")
    )
    form = AttendanceForm(request.POST or None, signups=signups)
    if request.method == "POST" and form.is_valid():
        attended = [s.pk for s in form.cleaned_data["attended"]]
        came = _act(
            request,
            lambda: operations.confirm_attendance(activity=activity, by=request.user, attended=attended),
        )
        if came is not None:
            paid = "，志愿者的积分已发放" if operations.points_for_attending(activity) else ""
            messages.success(request, f"已确认出勤：{len(came)} 人到场{paid}。")
            return redirect("services:activity-attendance", pk=activity.pk)
    listed = with_points(signups)
    return render(
        request,
        "services/activity_attendance.html",
        {
            "activity": activity,
            "form": form,
            "signups": listed,
            "points_each": operations.points_for_attending(activity),
            "closed_reason": "" if activity.start <= timezone.now() else "活动开始后才能确认出勤。",
        },
        status=400 if form.errors else 200,
    )


@login_required
def my_activities(request):
    """我的活动: what I signed up for or wait for, attended (with the points it earned), or withdrew from,
    latest first."""
    mine = (
        Signup.objects.filter(user=request.user)
        .select_related("activity__site", "activity__venue")
        .order_by("-activity__start", "-pk")
    )
    page = Paginator(mine, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "services/my_activities.html",
        {"page": page, "signups": with_points(page.object_list), "now": timezone.now()},
    )


def site_activities_feed(request, pk):
    """A site's activities as an iCalendar feed anyone may subscribe to (linked from the site's page)."""
    site = get_object_or_404(Site.objects.active(), pk=pk)
    return calendar.site_activities_response(site, base_url=request.build_absolute_uri("/").rstrip("/"))
