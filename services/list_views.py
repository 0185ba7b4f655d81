"""三张清单 pages: the public board of needs (a list, and a layer on the 红色地图), a need's page where a
unit's staff claim it, and 认领管理, where a community accepts or declines the claims on its needs and a
unit records what it did. The views parse input and show results; every rule lives in claims.py and
needs.py, and a refusal comes back as a message on the page it was asked from.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from members.models.points import DATE_VALIDATORS, validate_service_photo
from sites.views import _map_config

from . import claims as operations
from . import matching
from . import needs as lists
from .list_filters import NeedFilter
from .list_models import MAX_QUANTITY, Claim, ClaimStatus, Need, NeedStatus, Rating
from .views import bad_request


class ClaimForm(forms.Form):
    quantity = forms.IntegerField(label="认领数量", min_value=1, max_value=MAX_QUANTITY, initial=1)
    note = forms.CharField(label="认领说明", max_length=200, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label="婉拒原因", max_length=200)


class CompleteForm(forms.Form):
    on = forms.DateField(
        label="完成日期", validators=DATE_VALIDATORS, widget=forms.DateInput(attrs={"type": "date"})
    )
    beneficiaries = forms.IntegerField(label="惠及人次", min_value=0, max_value=10_000_000)
    evidence = forms.FileField(label="完成照片", required=False, validators=[validate_service_photo])
    note = forms.CharField(label="完成情况", max_length=300, required=False)


class EvaluateForm(forms.Form):
    rating = forms.ChoiceField(label="评价", choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="评价意见", max_length=300, required=False)


def need_board(request):
    """The public board: published needs, filtered by district, street, community, category, kind."""
    filterset = NeedFilter(request.GET or None, queryset=Need.objects.on_board())
    if filterset.is_bound and not filterset.is_valid():
        return bad_request(
            request, "筛选条件有误：" + "；".join(e for es in filterset.errors.values() for e in es)
        )
    found = filterset.qs.select_related("community__parent").order_by("-published_at", "-pk")
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request, "services/need_list.html", {"filter": filterset, "page": page, "query": params.urlencode()}
    )


def need_map(request):
    """The 红色地图 with the board's needs as a layer on top of the sites (static/js/needs_layer.js)."""
    config = {
        **_map_config(),
        "needs_api": reverse("services:api-needs-geojson"),
        "need_url": reverse("services:need-detail", args=[0]),
    }
    return render(request, "services/need_map.html", {"map_config": config})


def need_detail(request, pk):
    need = get_object_or_404(Need.objects.select_related("community__parent", "grid"), pk=pk)
    manages = lists.may_raise(request.user, need.community) if request.user.is_authenticated else False
    if need.status == NeedStatus.DRAFT and not manages:
        return render(request, "404.html", status=404)
    unit = operations.unit_of(request.user) if request.user.is_authenticated else None
    mine = need.claims.live().filter(organization=unit).first() if unit else None
    open_ = need.status == NeedStatus.PUBLISHED and need.remaining > 0
    suggestions = matching.with_resources(matching.suggestions_for_need(need)) if open_ else ()
    return render(
        request,
        "services/need_detail.html",
        {
            "need": need,
            "unit": unit,
            "mine": mine,
            "manages": manages,
            "closed_reason": operations.need_closed_problem(need),
            "form": ClaimForm(),
            "claims": need.claims.select_related("organization").order_by("-created_at") if manages else (),
            # where it came from, as a count only: the demands' residents are nobody else's business
            "from_demands": need.demands.count(),
            "photos": need.photos.all(),
            "suggestions": suggestions,
            "dismissed": need.dismissals.select_related("resource") if manages else (),
        },
    )


def _act(request, action, success):
    try:
        done = action()
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except operations.ClaimConflict as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
        return done
    return None


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


@login_required
@require_POST
def claim_need(request, pk):
    need = get_object_or_404(Need, pk=pk)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(need)
    _act(
        request,
        lambda: operations.claim_need(need=need, by=request.user, **form.cleaned_data),
        "认领成功，等待社区确认。",
    )
    return redirect(need)


@login_required
@require_POST
def need_step(request, pk, step):
    need = get_object_or_404(Need.objects.visible_to(request.user), pk=pk)
    action = {"publish": lists.publish_need, "withdraw": lists.withdraw_need, "close": lists.close_need}[step]
    label = {"publish": "已发布到需求清单。", "withdraw": "已撤回。", "close": "已关闭。"}[step]
    _act(request, lambda: action(need=need, by=request.user), label)
    return redirect(need)


@login_required
def claim_desk(request):
    """认领管理: the claims on my community's needs (to accept or decline) and my unit's claims (to
    record as done), with the forms each one's next step needs."""
    found = (
        Claim.objects.visible_to(request.user)
        .select_related("need", "resource", "organization", "community")
        .order_by("-created_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status and status not in ClaimStatus.values:
        return bad_request(request, "status 参数不是有效的认领状态。")
    if status:
        found = found.filter(status=status)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    for claim in page:
        claim.may_decide = claim.status == ClaimStatus.PENDING and operations.may_decide(request.user, claim)
        claim.may_complete = claim.status == ClaimStatus.IN_PROGRESS and operations.acts_for_unit(
            request.user, claim.organization
        )
        claim.may_evaluate = claim.status == ClaimStatus.COMPLETED and operations.acts_for_community(
            request.user, claim.community
        )
    return render(
        request,
        "services/claim_desk.html",
        {
            "page": page,
            "status": status,
            "statuses": ClaimStatus.choices,
            "decline_form": DeclineForm(),
            "complete_form": CompleteForm(initial={"on": timezone.localdate()}),
            "evaluate_form": EvaluateForm(),
            "query": f"status={status}" if status else "",
        },
    )


@login_required
@require_POST
def claim_step(request, pk, step):
    claim = get_object_or_404(Claim.objects.visible_to(request.user), pk=pk)
    form_class = {"decline": DeclineForm, "complete": CompleteForm, "evaluate": EvaluateForm}.get(step)
    data = {}
    if form_class:
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("services:claim-desk")
        data = form.cleaned_data
    steps = {
        "accept": (lambda: operations.accept_claim(claim=claim, by=request.user), "已确认认领。"),
        "decline": (lambda: operations.decline_claim(claim=claim, by=request.user, **data), "已婉拒。"),
        "withdraw": (lambda: operations.withdraw_claim(claim=claim, by=request.user), "已撤回认领。"),
        "complete": (lambda: operations.complete_claim(claim=claim, by=request.user, **data), "已登记完成。"),
        "evaluate": (lambda: operations.evaluate_claim(claim=claim, by=request.user, **data), "已评价。"),
    }
    _act(request, *steps[step])
    return redirect("services:claim-desk")
