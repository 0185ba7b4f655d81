"""我的: a signed-in user's 站内信 and their choice of notification channels. Rules live in notify.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sites.ids import parse_id

from .. import notify
from ..forms import NotificationPreferenceForm
from ..models import Notification

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
    return render(request, "members/me.html", {"form": form}, status=400 if form.errors else 200)
