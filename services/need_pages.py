"""Pages community staff keep the 需求清单 with: record and edit a need (with its photos), set a matching
suggestion aside and take that back; and a resource's page with the needs it could meet. Views parse
and show; services/needs.py and services/dismissals.py decide and write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sites.models import AreaLevel

from . import dismissals, matching
from . import needs as lists
from .claims import ClaimConflict
from .list_models import Need, NeedPhoto, NeedStatus, Resource, ResourceStatus
from .list_views import _act
from .need_forms import NeedForm


@login_required
def need_new(request):
    """录入需求: community staff (a street's staff choose the community); save as a draft or publish."""
    initial = {}
    if request.user.area_id and request.user.area.level == AreaLevel.COMMUNITY:
        area = request.user.area
        initial = {"community": area.pk, "latitude": area.latitude, "longitude": area.longitude}
    form = NeedForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if not form.fields["community"].queryset.exists():
        raise PermissionDenied("只有社区（或街道）工作人员可以录入需求。")
    if request.method == "POST" and form.is_valid():
        data = _fields(form)
        need = _save(
            form,
            lambda: lists.create_need(
                community=form.cleaned_data["community"], by=request.user, publish="publish" in request.POST,
                photos=form.cleaned_data["photos"], **data,
            ),
        )  # fmt: skip
        if need:
            messages.success(
                request, "已发布到需求清单。" if need.status == NeedStatus.PUBLISHED else "已存为草稿。"
            )
            return redirect(need)
    return render(request, "services/need_form.html", {"form": form, "need": None})


@login_required
def need_edit(request, pk):
    """修改需求: the same form, without the community; photos are added here and removed one by one."""
    need = get_object_or_404(
        Need.objects.visible_to(request.user).select_related("community").prefetch_related("photos"), pk=pk
    )
    if not lists.may_raise(request.user, need.community):
        raise PermissionDenied("只有本社区的工作人员可以修改需求。")
    initial = model_to_dict(need, fields=lists.NEED_FIELDS)
    form = NeedForm(
        request.POST or None, request.FILES or None, user=request.user, need=need, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in _fields(form).items() if name in form.changed_data}
        photos = form.cleaned_data["photos"]
        done = _save(
            form, lambda: lists.edit_need(need=need, by=request.user, changes=changes, photos=photos)
        )
        if done and "publish" in request.POST and done.status == NeedStatus.DRAFT:
            done = _save(form, lambda: lists.publish_need(need=done, by=request.user))
        if done:
            messages.success(request, "已保存。")
            return redirect(done)
    return render(request, "services/need_form.html", {"form": form, "need": need})


@login_required
@require_POST
def photo_delete(request, pk, photo):
    found = get_object_or_404(
        NeedPhoto.objects.filter(need__in=Need.objects.visible_to(request.user)).select_related(
            "need__community"
        ),
        pk=photo,
        need_id=pk,
    )
    _act(request, lambda: lists.remove_need_photo(photo=found, by=request.user), "已删除照片。")
    return redirect("services:need-edit", pk)


@login_required
@require_POST
def dismiss(request, pk, resource):
    need, resource = _pair(request, pk, resource)
    reason = request.POST.get("reason", "")
    _act(
        request,
        lambda: dismissals.dismiss_suggestion(need=need, resource=resource, by=request.user, reason=reason),
        f"“{resource.title}”不再推荐给此需求。",
    )
    return redirect(f"{need.get_absolute_url()}#suggestions")


@login_required
@require_POST
def restore(request, pk, resource):
    need, resource = _pair(request, pk, resource)
    _act(
        request,
        lambda: dismissals.restore_suggestion(need=need, resource=resource, by=request.user),
        f"已恢复推荐“{resource.title}”。",
    )
    return redirect(f"{need.get_absolute_url()}#suggestions")


def resource_detail(request, pk):
    """A published resource (or the unit's own draft), with the open needs it could meet, ranked."""
    shown = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
    if request.user.is_authenticated and request.user.organization_id:
        shown = shown | Resource.objects.filter(organization_id=request.user.organization_id)
    resource = get_object_or_404(shown.select_related("organization", "street"), pk=pk)
    found = matching.with_needs(matching.suggestions_for_resource(resource))
    return render(request, "services/resource_detail.html", {"resource": resource, "suggestions": found})


def _pair(request, pk, resource):
    need = get_object_or_404(Need.objects.visible_to(request.user).select_related("community"), pk=pk)
    return need, get_object_or_404(Resource, pk=resource)


def _fields(form):
    return {name: form.cleaned_data[name] for name in lists.NEED_FIELDS if name in form.cleaned_data}


def _save(form, operation):
    """Run the write; a refusal goes onto the form (which keeps what was typed)."""
    try:
        return operation()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    except ClaimConflict as conflict:
        form.add_error(None, str(conflict))
    return None
