"""The co-building units' indicator pages: a street's units with each indicator met / behind / not
started (street staff and above), a district's or the city's units summed up per street, and the
community's list of the hardship households its units keep in touch with. The views parse and show; the
counts come from services/indicators.py and every write goes through services/hardship.py.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from members.meeting_forms import YearForm
from members.models import Role
from members.models.points import DATE_VALIDATORS
from sites.ids import ModelIdChoiceField, parse_id
from sites.models import Area, AreaLevel
from sites.staff_pages import page_of, staff_required

from . import hardship, indicators
from .indicator_models import HardshipLink

UNITS_PER_PAGE = 50
LINKS_PER_PAGE = 20
# The levels whose staff see the indicators: a street's and above (a community has no units of its own).
OVERSEEING_ROLES = [Role.STREET_STAFF, Role.DISTRICT_ADMIN]


def chosen_year(params):
    """The `year` of the query string (this year when absent); a bad one is a Chinese 400."""
    form = YearForm(params or None)
    if form.is_bound and not form.is_valid():
        raise BadRequest("；".join(e for errors in form.errors.values() for e in errors))
    return form.chosen_year()


def _overseen_area(request):
    """The area the page is about: the user's own, or a street or district within it chosen by `area`."""
    user = request.user
    if not user.acts_as_any(OVERSEEING_ROLES):
        raise PermissionDenied("只有街道及以上工作人员可以查看共建单位年度指标。")
    raw = request.GET.get("area")
    if not raw:
        return user.area or Area.objects.get(level=AreaLevel.CITY)
    area = Area.objects.filter(pk=parse_id(raw) or 0).first()
    if area is None or not user.can_manage(area) or area.level in (AreaLevel.COMMUNITY, AreaLevel.GRID):
        raise BadRequest("所选区域不存在、不是镇/街道以上，或不在您的管辖范围内。")
    return area


@staff_required
def indicator_board(request):
    """A street: every unit paired with it and each indicator's state. Above a street: a row per street
    with how many units met, are behind, have not started each indicator, then every unit."""
    area = _overseen_area(request)
    year = chosen_year(request.GET)
    indicator_list = list(indicators.indicators_for(year))
    rows = indicators.for_units(indicators.units_in(area, year), year, indicator_list)
    streets = indicators.by_street(rows, indicator_list) if area.level != AreaLevel.TOWN else []
    page = page_of(request, rows, UNITS_PER_PAGE) if rows else Paginator(rows, UNITS_PER_PAGE).page(1)
    context = {
        "area": area,
        "year": year,
        "indicators": indicator_list,
        "streets": streets,
        "page": page,
        "met": sum(row.all_met for row in rows),
        "total": len(rows),
        "query": f"area={area.pk}&year={year}",
        "children": Area.objects.filter(parent=area, level__in=[AreaLevel.DISTRICT, AreaLevel.TOWN]).order_by(
            "path"
        ),
    }
    return render(request, "services/indicator_board.html", context)


class HardshipLinkForm(forms.Form):
    organization = ModelIdChoiceField(label="共建单位", queryset=None, empty_label="请选择")
    household_name = forms.CharField(label="户主姓名", max_length=50)
    address = forms.CharField(label="住址", max_length=150)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    situation = forms.CharField(label="困难情况", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    started_on = forms.DateField(
        label="开始联系日期", validators=DATE_VALIDATORS, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = hardship.units_for(community)


def _own_community(user):
    """The community whose households this user names, or None (street staff see the lists masked)."""
    area = user.area
    if area is not None and area.level == AreaLevel.COMMUNITY and hardship.may_link(user, area):
        return area
    return None


@staff_required
def hardship_links(request):
    """挂钩联系困难群众: the links in the user's area (details masked unless it is their community), and
    for a community's staff the form to name a household and a unit."""
    community = _own_community(request.user)
    form = None
    if community is not None:
        form = HardshipLinkForm(request.POST or None, community=community)
        if request.method == "POST" and form.is_valid():
            try:
                hardship.link_household(by=request.user, community=community, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "已登记挂钩联系。")
                return redirect("services:hardship-links")
    elif request.method == "POST":
        raise PermissionDenied("只有本社区工作人员可以登记挂钩联系的困难群众。")
    links = (
        HardshipLink.objects.visible_to(request.user)
        .select_related("organization", "community")
        .order_by("ended_on", "-started_on", "-pk")
    )
    page = page_of(request, links, LINKS_PER_PAGE)
    shown = [(link, *link.household_for(request.user)) for link in page]
    status = 400 if form is not None and form.is_bound and form.errors else 200
    context = {"community": community, "form": form, "page": page, "shown": shown}
    return render(request, "services/hardship_links.html", context, status=status)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_POST
@staff_required
def end_hardship_link(request, pk):
    link = get_object_or_404(
        HardshipLink.objects.visible_to(request.user).select_related("community"), pk=parse_id(pk) or 0
    )
    try:
        hardship.end_link(link=link, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "已结束这项挂钩联系。")
    return redirect(reverse("services:hardship-links"))
