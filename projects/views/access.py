from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import render
from django.utils import timezone

from ..forms import AreaYearForm


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


def this_year():
    return timezone.localdate().year


def page_of(request, queryset, size):
    """The requested page; a page number that is not a page is a 400, not a silent first page."""
    try:
        return Paginator(queryset, size).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise BadRequest("页码无效，请从第 1 页开始。") from error


def valid_year(year):
    if not 2000 <= year <= 2100:
        raise BadRequest("年度应在 2000 到 2100 之间。")
    return year


def area_year(request):
    """?year=&area= as (year or None, area id or None); a bad value is a 400 naming what to fix."""
    form = AreaYearForm(request.GET)
    if not form.is_valid():
        raise BadRequest("；".join(e for errors in form.errors.values() for e in errors))
    return form.cleaned_data["year"], form.cleaned_data["area"]
