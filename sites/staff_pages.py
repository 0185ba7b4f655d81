"""What every app's staff pages share: who may open them, a bad URL parameter as a Chinese 400, and
paging that refuses a page that does not exist. In the bottom app so that every app's pages use it."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import render


def friendly_400(view):
    """A bad URL parameter (BadRequest) becomes a Chinese page saying what to fix, status 400."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return render(request, "400.html", {"message": str(error)}, status=400)

    return wrapped


def staff_required(view):
    """Area staff (and superusers) only; what they then see is narrowed by visible_to(user)."""

    @login_required
    @friendly_400
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_area_staff:
            raise PermissionDenied("只有街道、社区工作人员可以使用此页面。")
        return view(request, *args, **kwargs)

    return wrapped


def page_of(request, queryset, size):
    """The requested page; a page number that is not a page is a 400, not a silent first page."""
    try:
        return Paginator(queryset, size).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise BadRequest("页码无效，请从第 1 页开始。") from error
