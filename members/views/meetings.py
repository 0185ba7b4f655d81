"""组织生活 pages: an organisation's meetings, what is due and its members' attendance; recording a meeting
with its attendance (made for a branch secretary's phone); a meeting's record and its amendments; and
the street's or district's compliance list with its Excel export.

Who may open an organisation's pages: its secretary (User.keeps_records_of) and staff whose area holds
it. Everything is written by members/meetings.py.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from sites.ids import parse_id
from sites.models import Area, Venue
from sites.staff_pages import friendly_400, page_of, staff_required

from .. import compliance, compliance_export, meetings
from ..meeting_forms import AmendmentForm, MeetingPlanForm, MeetingRecordForm, YearForm
from ..models import CommitteeTerm, Meeting, MeetingAttachment, Organization

PAGE_SIZE = 20


def _organization_for(request, pk):
    """The organisation if the user keeps its records or may see it; 404 otherwise (never "exists")."""
    organization = get_object_or_404(Organization.objects.select_related("area"), pk=parse_id(pk) or 0)
    if not request.user.keeps_records_of(organization):
        raise Http404("党组织不存在或不在您的管辖范围内。")
    return organization


def _year(request):
    form = YearForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise BadRequest("；".join(e for errors in form.errors.values() for e in errors))
    return form.chosen_year()


@login_required
def my_organization(request):
    """The secretary's way in: their own organisation's page."""
    if not request.user.organization_id:
        raise PermissionDenied("您的账号没有所属党组织，请联系工作人员。")
    return redirect("members:organization-life", pk=request.user.organization_id)


@login_required
@friendly_400
def organization_life(request, pk):
    organization = _organization_for(request, pk)
    year = _year(request)
    today = timezone.localdate()
    (result,) = compliance.evaluate([organization], year=year, today=today)
    members = list(meetings.roster(organization))
    rates = compliance.attendance_rates(
        [m.pk for m in members], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )
    attendance = [(m, *rates.get(m.pk, (0, 0)), compliance.rate(*rates.get(m.pk, (0, 0)))) for m in members]
    term = CommitteeTerm.objects.filter(organization=organization).active().first()
    page = page_of(
        request,
        Meeting.objects.filter(organization=organization)
        .select_related("venue__site")
        .order_by("-start", "-pk"),
        PAGE_SIZE,
    )
    context = {
        "organization": organization, "year": year, "result": result, "attendance": attendance,
        "term": term, "today": today, "page": page, "query": f"year={year}",
    }  # fmt: skip
    return render(request, "members/organization_life.html", context)


def _venues(organization):
    """The rooms at the organisation's own sites and at the sites of its community."""
    return (
        Venue.objects.filter(Q(site__in=organization.sites.values("pk")) | Q(site__area=organization.area_id))
        .select_related("site")
        .order_by("site__name", "name")
    )


@login_required
@friendly_400
def meeting_record(request, pk, meeting_pk=None):
    """Record a meeting (new, or one planned) with the roster's attendance; a phone-sized form."""
    organization = _organization_for(request, pk)
    meeting = None
    if meeting_pk is not None:
        meeting = get_object_or_404(Meeting, pk=parse_id(meeting_pk) or 0, organization=organization)
        if meeting.locked:
            return redirect(meeting)
    initial = {}
    if meeting is not None:
        local = timezone.localtime(meeting.start)
        initial = {
            "kind": meeting.kind, "date": local.date(), "start_time": local.time(),
            "end_time": timezone.localtime(meeting.end).time(), "venue": meeting.venue_id,
            "place": meeting.place,
            "topic": meeting.topic, "presided_by": meeting.presided_by, "given_by": meeting.given_by_id,
            "minutes": meeting.minutes,
        }  # fmt: skip
    form = MeetingRecordForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial, organization=organization, members=meetings.roster(organization),
        venues=_venues(organization),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            saved = meetings.record_meeting(
                by=request.user, organization=organization, meeting=meeting, **form.record_values()
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "会议已记录" + ("（补录）。" if saved.late_entry else "。"))
            return redirect(saved)
    context = {"organization": organization, "form": form, "meeting": meeting}
    return render(request, "members/meeting_form.html", context, status=400 if form.errors else 200)


@login_required
@friendly_400
def meeting_plan(request, pk):
    """Plan a meeting ahead; choosing one of the organisation's rooms books it in the same step."""
    organization = _organization_for(request, pk)
    form = MeetingPlanForm(
        request.POST if request.method == "POST" else None, organization=organization,
        venues=_venues(organization),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            saved = meetings.plan_meeting(by=request.user, organization=organization, **form.plan_values())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            booked = "，活动室已预约" if saved.venue_id else ""
            messages.success(request, f"会议已列入计划{booked}。")
            return redirect(saved)
    context = {"organization": organization, "form": form}
    return render(request, "members/meeting_plan.html", context, status=400 if form.errors else 200)


def _errors_to_form(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@friendly_400
def meeting_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("organization__area", "venue__site", "given_by", "recorded_by"),
        pk=parse_id(pk) or 0,
    )
    if not request.user.keeps_records_of(meeting.organization):
        raise Http404("会议不存在或不在您的管辖范围内。")
    form = None
    if meeting.locked:
        form = AmendmentForm(
            request.POST or None,
            initial={"topic": meeting.topic, "presided_by": meeting.presided_by, "minutes": meeting.minutes},
        )
        if request.method == "POST" and form.is_valid():
            try:
                meetings.amend_meeting(meeting=meeting, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, "更正已保存，并留档。")
                return redirect(meeting)
    context = {
        "meeting": meeting,
        "attendances": meeting.attendances.select_related("member").order_by("member__name", "pk"),
        "attachments": meeting.attachments.order_by("uploaded_at", "pk"),
        "amendments": meeting.amendments.select_related("by").order_by("at", "pk"),
        "form": form,
    }
    return render(
        request, "members/meeting_detail.html", context, status=400 if form and form.errors else 200
    )


@login_required
def meeting_attachment(request, pk):
    """A meeting's file for those who keep its records (attachments are private storage, never media)."""
    attachment = get_object_or_404(
        MeetingAttachment.objects.select_related("meeting__organization__area"), pk=parse_id(pk) or 0
    )
    if not request.user.keeps_records_of(attachment.meeting.organization):
        raise Http404("附件不存在或不在您的管辖范围内。")
    return FileResponse(attachment.file.open("rb"), filename=attachment.file.name.rsplit("/", 1)[-1])


def _list_area(request):
    """The area of the list: the user's own, or one within it chosen by `area`; a bad id is a 400."""
    own = request.user.area
    raw = request.GET.get("area")
    if not raw:
        return own or Area.objects.filter(parent__isnull=True).first()
    area = Area.objects.filter(pk=parse_id(raw) or 0).first()
    if area is None or not request.user.can_manage(area):
        raise BadRequest("所选区域不存在或不在您的管辖范围内。")
    return area


def _list_rows(request):
    area = _list_area(request)
    year = _year(request)
    rows = compliance.area_list(Organization.objects.within(area), year=year)
    return area, year, rows


@staff_required
def compliance_list(request):
    area, year, rows = _list_rows(request)
    page = page_of(request, rows, PAGE_SIZE)
    children = Area.objects.filter(parent=area).order_by("path") if area else Area.objects.none()
    context = {
        "area": area, "year": year, "page": page, "children": children,
        "query": f"area={area.pk}&year={year}",
    }  # fmt: skip
    return render(request, "members/compliance_list.html", context)


@staff_required
def compliance_xlsx(request):
    area, year, rows = _list_rows(request)
    data = compliance_export.export(user=request.user, rows=rows, area=area, year=year)
    response = HttpResponse(data, content_type=compliance_export.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="compliance-{year}.xlsx"'
    return response
