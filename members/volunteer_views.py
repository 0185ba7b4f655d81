"""Pages of volunteers and their points: registration, my record, service submission, the staff's
verification queue, the rewards catalogue and redemptions, the public monthly ranking.

Views parse and show; registration.py, service_records.py, rewards.py and ranking.py decide and write.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.client_ip import client_ip
from config.errors import bad_request
from sites.models import Area
from sites.uploads import private_file_response

from . import registration
from .errors import Refusal
from .models import Redemption, RedemptionStatus, Reward, ServicePhoto, ServiceRecord, Volunteer
from .ranking import latest_frozen_month, rankings_for
from .rewards import cancel_redemption, catalogue, hand_over, may_hand_over, request_redemption
from .service_records import reject_service, rules_for, submit_service, verify_service
from .volunteer_forms import RankingForm, RegistrationForm, RejectForm, RewardFilterForm, ServiceRecordForm

PAGE_SIZE = 20


def page_of(request, queryset):
    try:
        return Paginator(queryset, PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise BadRequest("页码无效，请从第 1 页开始。") from error


def volunteer_required(view):
    """Signed in with a volunteer record; request.volunteer is it."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.volunteer = Volunteer.objects.select_related("community").filter(user=request.user).first()
        if request.volunteer is None:
            raise PermissionDenied("此页面供已登记的志愿者使用，请先注册为志愿者。")
        return view(request, *args, **kwargs)

    return wrapped


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_area_staff:
            raise PermissionDenied("只有街道、社区工作人员可以使用此页面。")
        return view(request, *args, **kwargs)

    return wrapped


def _refused(request, error):
    messages.error(request, error.message if isinstance(error, Refusal) else "；".join(error.messages))


def phone_registration(request, form, *, purpose, create):
    """The flow every self-registration shares: 获取验证码 texts the code (naming `purpose`), 注册 calls
    `create(cleaned_data)` and signs the new account in; returns the profile it made, or None (the form,
    with its input and the refusal, is shown again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if request.POST.get("action") == "send":
            registration.send_code(phone=data["phone"], ip=client_ip(request), purpose=purpose)
            messages.success(request, "验证码已发送，请查看短信（10 分钟内有效）。")
            return None
        profile = create(data)
    except Refusal as refusal:
        form.add_error("code" if "验证码" in refusal.message else None, refusal.message)
        return None
    login(request, profile.user, backend="django.contrib.auth.backends.ModelBackend")
    return profile


def register(request):
    """One form, two buttons: 获取验证码 texts the code, 注册 creates the account; input is kept."""
    if request.user.is_authenticated and Volunteer.objects.filter(user=request.user).exists():
        return redirect("volunteers:me")
    form = RegistrationForm(request.POST or None)
    volunteer = phone_registration(
        request,
        form,
        purpose="志愿者注册",
        create=lambda data: registration.register_volunteer(
            phone=data["phone"],
            code=data["code"],
            password=data["password"],
            name=data["name"],
            community=data["community"],
        ),
    )
    if volunteer is not None:
        messages.success(request, f"注册成功，欢迎加入{volunteer.community.name}志愿者队伍！")
        return redirect("volunteers:me")
    return render(request, "members/volunteer_register.html", {"form": form})


@volunteer_required
def my_record(request):
    """我的志愿服务: balance, services, points, redemptions and the frozen rankings I appear in."""
    volunteer = request.volunteer
    services = volunteer.service_records.select_related("rule").order_by("-submitted_at")[:PAGE_SIZE]
    entries = volunteer.points_entries.order_by("-at", "-pk")[:PAGE_SIZE]
    redemptions = volunteer.redemptions.select_related("reward__organization").order_by("-requested_at")[
        :PAGE_SIZE
    ]
    ranks = volunteer.rankings.select_related("area").order_by("-year", "-month", "-area__level")[:6]
    return render(
        request,
        "members/volunteer_record.html",
        {
            "volunteer": volunteer,
            "services": services,
            "entries": entries,
            "redemptions": redemptions,
            "ranks": ranks,
        },
    )


@volunteer_required
def service_submit(request):
    volunteer = request.volunteer
    form = ServiceRecordForm(request.POST or None, request.FILES or None, rules=rules_for(volunteer))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_service(volunteer=volunteer, by=request.user, **data)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "服务记录已提交，社区审核通过后积分到账。")
            return redirect("volunteers:me")
    return render(request, "members/servicerecord_form.html", {"form": form, "volunteer": volunteer})


@login_required
def service_photo(request, pk):
    """Evidence photos are private: the volunteer and the staff who may verify the record."""
    seen = ServicePhoto.objects.filter(record__in=ServiceRecord.objects.visible_to(request.user).values("pk"))
    return private_file_response(get_object_or_404(seen, pk=pk).image)


@staff_required
def review_queue(request):
    """服务审核: the records waiting in my area, oldest first."""
    pending = (
        ServiceRecord.objects.visible_to(request.user)
        .pending()
        .select_related("volunteer__community", "rule")
        .prefetch_related("photos")
        .order_by("submitted_at", "pk")
    )
    return render(request, "members/servicerecord_queue.html", {"page": page_of(request, pending)})


def _staff_record(request, pk):
    return get_object_or_404(ServiceRecord.objects.visible_to(request.user), pk=pk)


@staff_required
@require_POST
def service_verify(request, pk):
    record = _staff_record(request, pk)
    try:
        record = verify_service(record=record, by=request.user)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, f"已通过：{record}，积分 {record.points} 分。")
    return redirect("volunteers:review")


@staff_required
@require_POST
def service_reject(request, pk):
    record = _staff_record(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "退回时请填写原因（不超过 300 字）。")
        return redirect("volunteers:review")
    try:
        reject_service(record=record, by=request.user, reason=form.cleaned_data["reason"])
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, f"已退回：{record}。")
    return redirect("volunteers:review")


def reward_list(request):
    """积分兑换: every reward on offer (public). A volunteer sees their balance and 离我最近 first, and may
    narrow the list to their community's or street's units (rewards.catalogue)."""
    volunteer = None
    if request.user.is_authenticated:
        volunteer = Volunteer.objects.select_related("community").filter(user=request.user).first()
    form = RewardFilterForm(request.GET if "within" in request.GET else None)
    # A 400 that says what to fix (config.errors.bad_request), as the booking pages answer.
    if form.is_bound and not form.is_valid():
        return bad_request(request, "；".join(form.errors["within"]))
    within = form.cleaned_data["within"] if form.is_bound else ""
    if within and volunteer is None:
        return bad_request(request, "按社区或街道筛选兑换项请先以志愿者身份登录。")
    rewards = catalogue(volunteer=volunteer, within=within)
    context = {"page": page_of(request, rewards), "volunteer": volunteer, "form": form, "within": within}
    return render(request, "members/reward_list.html", context)


@volunteer_required
@require_POST
def reward_redeem(request, pk):
    reward = get_object_or_404(Reward.objects.offered(), pk=pk)
    try:
        redemption = request_redemption(volunteer=request.volunteer, reward=reward, by=request.user)
    except Refusal as refusal:
        _refused(request, refusal)
        return redirect("volunteers:rewards")
    messages.success(
        request,
        f"已预留“{reward.name}”，请在 {redemption.expires_at:%Y-%m-%d} 前到{reward.organization.name}领取。",
    )
    return redirect("volunteers:me")


@login_required
def handover_queue(request):
    """兑换领取: reserved rewards waiting to be handed over by the unit (or its area's staff)."""
    reserved = (
        Redemption.objects.for_handing_over(request.user)
        .filter(status=RedemptionStatus.RESERVED)
        .select_related("reward__organization", "volunteer")
        .order_by("requested_at", "pk")
    )
    if not request.user.organization_id and not request.user.is_area_staff:
        raise PermissionDenied("此页面供提供兑换项的单位和工作人员使用。")
    return render(request, "members/redemption_queue.html", {"page": page_of(request, reserved)})


@login_required
@require_POST
def redemption_hand_over(request, pk):
    redemption = get_object_or_404(
        Redemption.objects.for_handing_over(request.user).select_related("reward"), pk=pk
    )
    try:
        hand_over(redemption=redemption, by=request.user)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, f"已确认领取：{redemption.volunteer.name}的“{redemption.reward.name}”。")
    return redirect("volunteers:handover")


@login_required
@require_POST
def redemption_cancel(request, pk):
    redemption = get_object_or_404(
        Redemption.objects.visible_to(request.user).select_related("reward"), pk=pk
    )
    try:
        cancel_redemption(redemption=redemption, by=request.user)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, f"已取消兑换“{redemption.reward.name}”，积分已退回。")
    if may_hand_over(request.user, redemption.reward) and redemption.volunteer.user_id != request.user.pk:
        return redirect("volunteers:handover")
    return redirect("volunteers:me")


def ranking(request):
    """每月评优 (public): a community's or street's frozen list, or a district's street lists."""
    form = RankingForm(request.GET)
    if not form.is_valid():
        raise BadRequest("参数有误：请选择有效的区域和年月。")
    area = form.cleaned_data["area"] or Area.objects.filter(parent__isnull=True).first()
    if area is None:
        raise Http404("尚无区域数据。")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    if not (year and month):
        year, month = latest_frozen_month()
    lines = list(rankings_for(area, year, month))
    frozen_at = lines[0].frozen_at if lines else None
    return render(
        request,
        "members/monthlyranking_list.html",
        {"area": area, "year": year, "month": month, "lines": lines, "frozen_at": frozen_at},
    )
