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
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sites.models import Area, AreaLevel

from . import activities as operations
from . import dates
from .models import Activity, ActivityKind, Signup, SignupStatus
from .views import bad_request


class ActivityFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        Area.objects.filter(level=AreaLevel.DISTRICT).order_by("path"), required=False, label="区"
    )
    street = forms.ModelChoiceField(
        Area.objects.filter(level=AreaLevel.TOWN).order_by("path"), required=False, label="镇/街道"
    )
    kind = forms.ChoiceField(choices=[("", "全部类型"), *ActivityKind.choices], required=False, label="类型")
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
    found = Activity.objects.published().select_related("site__area", "venue")
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


def activity_detail(request, pk):
    activity = get_object_or_404(
        Activity.objects.select_related("site__area", "venue", "organization", "organizer"), pk=pk
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


@login_required
def my_activities(request):
    """我的活动: what I signed up for or wait for, and what I withdrew from, latest first."""
    mine = (
        Signup.objects.filter(user=request.user)
        .select_related("activity__site", "activity__venue")
        .order_by("-activity__start", "-pk")
    )
    return render(
        request,
        "services/my_activities.html",
        {"page": Paginator(mine, 20).get_page(request.GET.get("page")), "now": timezone.now()},
    )
