"""Staff pages of the party-member roster: the members of their area (filter, search, export to Excel)
and the 在职党员报到 list (who reported to their communities, and where their own members serve).

Everything goes through `visible_to(request.user)`; phone numbers are masked on screen. The export is
the one place a staff member gets full numbers, and it is written to the access log.
"""

from django import forms
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import render

from sites.staff_pages import page_of, staff_required

from .. import roster_export
from ..models import CommunityReporting, Member, MemberStatus

# As the project list: a phone screen's worth of cards, and half the rendering of 50 rows.
PAGE_SIZE = 30


class RosterFilterForm(forms.Form):
    q = forms.CharField(label="姓名", required=False, max_length=50)
    organization = forms.CharField(label="党组织", required=False, max_length=150, help_text="名称中的字")
    status = forms.ChoiceField(
        label="党员状态", required=False, choices=[("", "全部"), *MemberStatus.choices]
    )


class ReportingFilterForm(forms.Form):
    SIDES = [("", "全部"), ("here", "到本辖区社区报到的"), ("ours", "本辖区党组织的党员")]
    q = forms.CharField(label="姓名", required=False, max_length=50)
    side = forms.ChoiceField(label="范围", required=False, choices=SIDES)
    ended = forms.BooleanField(label="含已结束的报到", required=False)


def _filtered(request, form_class):
    form = form_class(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise BadRequest("；".join(e for errors in form.errors.values() for e in errors))
    return form, (form.cleaned_data if form.is_bound else {})


def roster_members(user, filters):
    """The roster `user` may see, narrowed by the page's filters (the page and its export share it)."""
    members = Member.objects.visible_to(user).select_related("organization", "group")
    if filters.get("q"):
        members = members.filter(name__contains=filters["q"])
    if filters.get("organization"):
        members = members.filter(organization__name__contains=filters["organization"])
    if filters.get("status"):
        members = members.filter(status=filters["status"])
    # Grouped by organisation through the (organization, name) index. By the column, not the relation:
    # order_by("organization") means Organization's own ordering (area path, name), which joins and sorts
    # every member of the area first: 330–400 ms on PostgreSQL for a street's first page with the city's
    # data, 28–43 ms by organization_id (EXPLAIN ANALYZE, README "Party members").
    return members.order_by("organization_id", "name", "pk")


def _query(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@staff_required
def member_list(request):
    form, filters = _filtered(request, RosterFilterForm)
    page = page_of(request, roster_members(request.user, filters), PAGE_SIZE)
    context = {"form": form, "page": page, "query": _query(request), "area": request.user.area}
    return render(request, "members/member_list.html", context)


@staff_required
def member_export(request):
    _form, filters = _filtered(request, RosterFilterForm)
    area = request.user.area
    data = roster_export.export_roster(
        user=request.user,
        members=roster_members(request.user, filters),
        what=f"党员名册导出（{area.name if area else '全市'}）",
        filters={"area": area.pk if area else None, **{k: v for k, v in filters.items() if v}},
    )
    response = HttpResponse(data, content_type=roster_export.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="members.xlsx"'
    return response


@staff_required
def reporting_list(request):
    form, filters = _filtered(request, ReportingFilterForm)
    reportings = (
        CommunityReporting.objects.visible_to(request.user)
        .on_side(request.user, filters.get("side"))
        .select_related("member__organization", "community__parent", "grid")
    )
    if not filters.get("ended"):
        reportings = reportings.active()
    if filters.get("q"):
        reportings = reportings.filter(member__name__contains=filters["q"])
    page = page_of(request, reportings.order_by("community__path", "-since", "pk"), PAGE_SIZE)
    context = {"form": form, "page": page, "query": _query(request), "area": request.user.area}
    return render(request, "members/communityreporting_list.html", context)
