"""What a locked-out login sees (django-axes calls `lockout_response`, see AXES_LOCKOUT_CALLABLE).

The login view has already refused the password; axes' middleware then replaces its answer with this
page, on the site's login and on the admin's, in the look of the page the person came from.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.urls import reverse


def lockout_response(request, original_response=None, credentials=None):
    on_admin = request.path.startswith(reverse("admin:index"))
    context = {
        "username": (credentials or {}).get("username", ""),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    if on_admin:
        context.update(title="登录已被暂时锁定", site_header="海棠花红 · 党群服务中心管理")
    template = "admin/locked_out.html" if on_admin else "registration/locked_out.html"
    return render(request, template, context, status=429)


def attempted_username(request, credentials=None):
    """The name a failed login is counted under (AXES_USERNAME_CALLABLE): what was typed, cut to the
    longest username there can be. Axes stores it in a 255-character column, which a longer typed name
    overflowed into a 500 on PostgreSQL; no account has a longer name, so nothing is lost by the cut."""
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = request.POST.get("username", "")
    return str(typed)[: get_user_model()._meta.get_field("username").max_length]
