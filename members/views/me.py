"""我的: a signed-in user's 站内信, their choice of notification channels (rules in notify.py), and a
party member's own record (我的党员档案): their 组织关系 history, 在职党员报到, and, when they also serve
as a volunteer, a summary of their services and points that links to 我的志愿服务 (volunteers:me).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sites.ids import parse_id

from .. import notify
from ..forms import NotificationPreferenceForm
from ..models import Member, Notification, ServiceStatus, Volunteer

PAGE_SIZE = 20


@login_required
def inbox(request):
    page = Paginator(Notification.objects.inbox_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/notification_list.html", {"page": page})


@login_required
@require_POST
def mark_read(request):
    """Mark one 站内信 read (`pk`), or all of them (no `pk`); then back to the inbox page it came from."""
    pk = request.POST.get("pk")
    notify.mark_read(user=request.user, pks=None if pk is None else [p for p in [parse_id(pk)] if p])
    page = parse_id(request.POST.get("page", ""))
    return redirect(reverse("members:inbox") + (f"?page={page}" if page else ""))


@login_required
def me(request):
    preference = notify.preference_of(request.user)
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None, instance=preference, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        notify.set_preference(user=request.user, **form.cleaned_data)
        messages.success(request, "通知方式已保存。")
        return redirect("members:me")
    context = {
        "form": form,
        "has_member": Member.objects.filter(user=request.user).exists(),
        "has_volunteer": Volunteer.objects.filter(user=request.user).exists(),
    }
    return render(request, "members/me.html", context, status=400 if form.errors else 200)


@login_required
def my_membership(request):
    """我的党员档案: the signed-in member's own record, in a constant number of queries."""
    member = Member.objects.select_related("organization", "group").filter(user=request.user).first()
    if member is None:
        raise PermissionDenied("您的账号尚未关联党员档案，请联系所在党组织的工作人员关联。")
    memberships = member.memberships.select_related("organization", "group").order_by("-since", "-pk")
    reportings = member.reportings.select_related("community__parent", "grid").order_by("-since", "-pk")
    # The volunteer side: who they are linked as (the member, or the same login) and their services'
    # counts in one query; the record itself is 我的志愿服务's.
    volunteer = (
        Volunteer.objects.filter(Q(member=member) | Q(user=request.user))
        .select_related("community")
        .annotate(
            services=Count("service_records"),
            verified=Count("service_records", filter=Q(service_records__status=ServiceStatus.VERIFIED)),
        )
        .first()
    )
    context = {
        "member": member,
        "memberships": memberships,
        "reportings": reportings,
        "volunteer": volunteer,
    }
    return render(request, "members/my_membership.html", context)
