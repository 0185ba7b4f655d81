"""Pages of the residents' demands: 我要反映, 我的诉求, one demand with its timeline and the moves the
viewer may make, the staff inbox, the 督办 list, the figures, and the public map layer (GeoJSON).

Views parse and show; services/demands.py and services/supervision.py decide and write.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from members.errors import Refusal
from members.models import Member
from sites.ids import parse_id
from sites.models import Area, AreaLevel
from sites.staff_pages import page_of, staff_required
from sites.views import _map_config

from . import demands as operations
from . import supervision
from .demand_figures import summarize
from .demand_forms import (
    DemandForm,
    DispatchForm,
    EvaluateForm,
    NoteForm,
    PromoteForm,
    ReasonForm,
    ResolveForm,
    StaffDemandForm,
    TransferForm,
)
from .demand_models import OPEN_STATUSES, Demand, DemandStatus, SupervisionNote
from .open311 import public_demands
from .resident_models import Resident

PAGE_SIZE = 20
S = DemandStatus


def resident_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.resident = (
            Resident.objects.select_related("community", "grid", "user").filter(user=request.user).first()
        )
        if request.resident is None:
            return redirect(f"/residents/register/?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapped


@resident_required
def demand_new(request):
    """我要反映: a phone-first form; the point defaults to the resident's grid (or community) centre."""
    resident = request.resident
    centre = resident.grid if resident.grid_id and resident.grid.latitude is not None else resident.community
    initial = {"latitude": centre.latitude, "longitude": centre.longitude}
    form = DemandForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "location"}
        try:
            demand = operations.raise_demand(
                by=request.user, resident=resident, community=resident.community, grid=resident.grid, **data
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "已提交，社区受理后会通知您，可在“我的诉求”查看进度。")
            return redirect(demand)
    return render(request, "services/demand_form.html", {"form": form, "resident": resident})


@staff_required
def demand_new_for_resident(request):
    """代为登记: staff raise a demand from a phone call or a grid visit, for a registered resident (found
    by phone) or someone not registered (name and phone typed); the point defaults to the community's
    centre."""
    initial = {"community": request.user.area_id} if request.user.area_id else {}
    form = StaffDemandForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "location"}
        resident = operations.resident_by_phone(data["community"], data["contact_phone"])
        try:
            demand = operations.raise_demand(by=request.user, resident=resident, **data)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            who = f"已关联居民{resident.name}" if resident else "居民未注册，按所填联系人登记"
            messages.success(request, f"已登记（{who}），可直接受理。")
            return redirect(demand)
    return render(request, "services/demand_form.html", {"form": form, "for_resident": True})


@resident_required
def my_demands(request):
    """我的诉求: newest first, with the state and the deadline."""
    demands = request.resident.demands.select_related("category").order_by("-submitted_at", "-pk")
    return render(request, "services/demand_mine.html", {"page": page_of(request, demands, PAGE_SIZE)})


def _visible(request, pk):
    return get_object_or_404(
        Demand.objects.for_viewer(request.user).select_related(
            "category", "community__parent", "grid", "resident", "need"
        ),
        pk=pk,
    )


@login_required
def demand_detail(request, pk):
    """One demand: what, where, the timeline, and the forms of the moves this viewer may make."""
    demand = _visible(request, pk)
    user = request.user
    member = Member.objects.filter(user=user).first()
    is_resident = demand.resident_id is not None and demand.resident.user_id == user.pk
    staff = user.can_manage(demand.community)
    taking = demand.takings.filter(released_at=None).select_related("member").first()
    context = {
        "demand": demand,
        "phone": demand.contact_phone_for(user),
        "transitions": demand.transitions.select_related("by"),
        # the resolution photo belongs to the latest 办结 (a reopened demand's new one replaces it)
        "last_resolved": demand.transitions.filter(to_status=S.RESOLVED).values_list("pk", flat=True).last()
        if demand.resolution_photo else None,
        "notes": demand.supervision_notes.select_related("by", "answered_by"),
        "evaluations": demand.evaluations.all(),
        "taking": taking,
        "is_resident": is_resident,
        "staff": staff,
        "may_take": member is not None and demand.status == S.DISPATCHED
        and operations.may_take(demand, member),
        "may_resolve": demand.status == S.TAKEN and taking and taking.member.user_id == user.pk
        or staff and demand.status in (S.ACCEPTED, S.DISPATCHED, S.TAKEN),
        "may_supervise": demand.overdue_at and demand.is_open and user.can_manage(demand.community.parent)
        and user.role != "community_staff",
        "handler": user in operations.handlers_of(demand) or staff,
        "note_form": NoteForm(),
        "reason_form": ReasonForm(),
        "resolve_form": ResolveForm(),
        "evaluate_form": EvaluateForm(),
        "dispatch_form": DispatchForm(demand=demand) if staff else None,
        "transfer_form": TransferForm(demand=demand) if staff else None,
        "promote_form": PromoteForm() if staff else None,
    }  # fmt: skip
    return render(request, "services/demand_detail.html", context)


# The moves a page posts: the form that parses the body, and the operation it calls.
MOVES = {
    "accept": (NoteForm, lambda d, u, v: operations.accept(demand=d, by=u, note=v["note"]), "已受理"),
    "dispatch": (DispatchForm, lambda d, u, v: operations.dispatch(demand=d, by=u, **v), "已派单"),
    "take": (NoteForm, lambda d, u, v: operations.take(demand=d, by=u), "已接单"),
    "resolve": (
        ResolveForm,
        lambda d, u, v: operations.resolve(demand=d, by=u, note=v["note"], photo=v.get("photo")),
        "已办结",
    ),
    "evaluate": (EvaluateForm, lambda d, u, v: operations.evaluate(demand=d, by=u, **v), "感谢您的评价"),
    "reopen": (NoteForm, lambda d, u, v: operations.reopen(demand=d, by=u, note=v["note"]), "已要求重新办理"),
    "reject": (
        ReasonForm,
        lambda d, u, v: operations.reject(demand=d, by=u, reason=v["reason"]),
        "已不予受理",
    ),
    "transfer": (TransferForm, lambda d, u, v: operations.transfer(demand=d, by=u, **v), "已转办"),
    "promote": (
        PromoteForm,
        lambda d, u, v: operations.promote(demand=d, by=u, **v),
        "已转入需求清单",
    ),
    "supervise": (NoteForm, lambda d, u, v: supervision.add_note(demand=d, by=u, note=v["note"]), "已督办"),
}
NEEDS_DEMAND = (DispatchForm, TransferForm)


@login_required
@require_POST
def demand_move(request, pk, move):
    if move not in MOVES:
        raise Http404("没有这个操作。")
    demand = _visible(request, pk)
    form_class, run, done = MOVES[move]
    kwargs = {"demand": demand} if form_class in NEEDS_DEMAND else {}
    form = form_class(request.POST, request.FILES or None, **kwargs)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(demand)
    try:
        run(demand, request.user, form.cleaned_data)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    if not Demand.objects.for_viewer(request.user).filter(pk=pk).exists():
        return redirect("services:demand-inbox")
    return redirect(demand)


# The photos a demand may carry (private storage, never media): the resident's, and the resolution's.
PHOTOS = {"photo": "photo", "done": "resolution_photo"}


@login_required
def demand_photo(request, pk, which):
    """A demand's photo, only for those who may see the demand (the resident, its community's staff,
    whoever it is dispatched to or taken by): 404 for everyone else, as if there were none."""
    if which not in PHOTOS:
        raise Http404("没有这张照片。")
    photo = getattr(_visible(request, pk), PHOTOS[which])
    if not photo:
        raise Http404("该诉求没有这张照片。")
    response = FileResponse(photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"  # never kept by a shared cache
    return response


@login_required
@require_POST
def supervision_answer(request, pk):
    note = get_object_or_404(SupervisionNote.objects.select_related("demand", "by"), pk=pk)
    _visible(request, note.demand_id)
    form = NoteForm(request.POST)
    try:
        form.is_valid()
        supervision.answer_note(supervision=note, by=request.user, answer=form.cleaned_data.get("note", ""))
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "已答复督办。")
    return redirect(note.demand)


@staff_required
def inbox(request):
    """The staff inbox: new demands to accept, then open ones by deadline (overdue first); of what the
    viewer handles, not all they may see (a demand they raised as a resident is in 我的诉求)."""
    mine = Demand.objects.handled_by(request.user).select_related("category", "community")
    waiting = mine.filter(status=S.SUBMITTED).order_by("submitted_at", "pk")[:50]
    running = mine.filter(status__in=OPEN_STATUSES).order_by("deadline", "pk")
    return render(
        request,
        "services/demand_inbox.html",
        {"waiting": waiting, "page": page_of(request, running, PAGE_SIZE), "now": timezone.now()},
    )


@staff_required
def supervision_list(request):
    """督办: escalated demands still open in the viewer's area (street staff and above)."""
    return render(
        request,
        "services/demand_supervision.html",
        {"page": page_of(request, supervision.supervision_list(request.user), PAGE_SIZE)},
    )


@staff_required
def figures(request):
    """The figures of an area the viewer manages (?area=, default their own), with each definition."""
    user = request.user
    area_id = parse_id(request.GET.get("area", "")) if request.GET.get("area") else None
    if area_id:
        area = get_object_or_404(Area.objects.visible_to(user).exclude(level=AreaLevel.GRID), pk=area_id)
    elif user.area_id:
        area = user.area
    else:
        area = get_object_or_404(Area, level=AreaLevel.CITY, parent=None)
    year = parse_id(request.GET.get("year", "")) or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise PermissionDenied("年份应在 2000 到 2100 之间。")
    summary = summarize(area, year)
    below = "按网格" if area.level == AreaLevel.COMMUNITY else "按下级区域"
    sections = [(below, summary["children"]), ("按类别", summary["categories"])]
    return render(
        request, "services/demand_figures.html", {"area": area, "year": year, "sections": sections, **summary}
    )


def demand_map(request):
    """The 红色地图 with the open demands as a layer per category (static/js/demands_layer.js); without
    JavaScript the counts by category stand in for the map."""
    by_category = (
        public_demands().filter(status__in=OPEN_STATUSES).order_by("category__position", "category__name")
        .values("category__name").annotate(n=Count("pk")).values("category__name", "n")
    )  # fmt: skip
    config = {**_map_config(), "demands_api": reverse("services:demand-map")}
    return render(request, "services/demand_map.html", {"map_config": config, "by_category": by_category})


def public_map(request):
    """The public map layer: open demands by category as GeoJSON points at the grid's (or community's)
    centre; no text from the resident, no name, phone or address."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(d.lng), float(d.lat)]},
            "properties": {
                "category": d.category.name,
                "status": d.get_status_display(),
                "area": d.community.name,
            },
        }
        for d in public_demands().filter(status__in=OPEN_STATUSES).order_by("-submitted_at")[:2000]
        if d.lat is not None
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features}, json_dumps_params={"ensure_ascii": False}
    )
