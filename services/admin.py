"""Room booking in the admin: rules, closed dates, and the review queue with approve / reject actions.

Bookings are made on the booking page (staff can use it too) so that every booking passes the one
`book_venue`; here staff review them, and each action calls the same operation as the staff page.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from sites.admin_history import ScopedHistoryAdmin
from sites.admin_paging import CappedCountPaginator
from sites.admin_scoping import AreaScopedAdmin, WritePathAdmin, is_area_staff
from sites.forms import OpeningHoursField

from . import (
    activity_admin,  # noqa: F401  (registers Activity and Signup)
    no_shows,
)
from . import booking as operations
from .dates import check_in_range
from .forms import LiftHoldForm, RejectForm
from .models import Booking, BookingStatus, ClosedDate, NoShowLift, VenueRules


class VenueRulesForm(forms.ModelForm):
    opening_hours = OpeningHoursField(
        label=VenueRules._meta.get_field("opening_hours").verbose_name,
        help_text=VenueRules._meta.get_field("opening_hours").help_text,
        required=False,
        inherit_label="按所属阵地的开放时间",
    )

    class Meta:
        model = VenueRules
        fields = ["venue", "opening_hours", "advance_days", "min_minutes", "max_minutes", "needs_approval"]


@admin.register(VenueRules)
class VenueRulesAdmin(ScopedHistoryAdmin, AreaScopedAdmin):
    form = VenueRulesForm
    list_display = ["venue", "advance_days", "min_minutes", "max_minutes", "needs_approval"]
    list_filter = ["needs_approval"]
    list_select_related = ["venue__site"]
    raw_id_fields = ["venue"]
    search_fields = ["venue__name", "venue__site__name"]


class ClosedDateForm(forms.ModelForm):
    class Meta:
        model = ClosedDate
        fields = ["venue", "date", "reason"]

    def clean_date(self):
        # Bookings lie in services.dates' calendar: a closed date outside it (0001, 9999) is a slip.
        date = self.cleaned_data["date"]
        check_in_range(date)
        return date


@admin.register(ClosedDate)
class ClosedDateAdmin(ScopedHistoryAdmin, AreaScopedAdmin):
    form = ClosedDateForm
    list_display = ["venue", "date", "reason"]
    list_select_related = ["venue__site"]
    raw_id_fields = ["venue"]
    date_hierarchy = "date"
    search_fields = ["venue__name", "venue__site__name", "reason"]


def _run(modeladmin, request, queryset, operation, verb):
    done = 0
    for booking in queryset.select_related("venue__site__area", "organizer"):
        try:
            operation(booking)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, f"{booking}：{'；'.join(getattr(error, 'messages', [str(error)]))}")
    if done:
        modeladmin.message_user(request, f"已{verb} {done} 条预约。", messages.SUCCESS)


@admin.register(Booking)
class BookingAdmin(AreaScopedAdmin):
    list_display = ["title", "venue", "span_label", "organizer", "status", "checked_in_at", "created_at"]
    # A date filter, not date_hierarchy: the hierarchy's year/month links cost a scan of every booking.
    list_filter = ["status", "purpose", ("start", admin.DateFieldListFilter)]
    list_select_related = ["venue__site", "organizer"]
    search_fields = ["title", "venue__name", "venue__site__name", "organizer__username", "group_name"]
    actions = ["approve", "reject", "cancel", "lift_no_show_hold"]
    readonly_fields = [f.name for f in Booking._meta.fields]
    show_full_result_count = False
    paginator = CappedCountPaginator  # a district holds hundreds of thousands of bookings
    # Latest first along the start index; pending requests are one click away (状态 filter) and have
    # their own queue page. Sorting a million rows by status first made this list take seconds.
    ordering = ["-start"]

    def get_queryset(self, request):
        # The bookings of the rooms staff manage; their own elsewhere are on 我的预约 (see managed_by).
        return Booking.objects.managed_by(request.user).order_by(*self.get_ordering(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing only: status moves through the actions below, which run booking.py's operations.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="时间", ordering="start")
    def span_label(self, booking):
        return booking.span_label

    @admin.action(description="批准所选预约")
    def approve(self, request, queryset):
        _run(
            self, request, queryset, lambda b: operations.approve_booking(booking=b, by=request.user), "批准"
        )

    def _with_reason(self, request, queryset, form_class, run, page):
        """An action that asks for a reason on a page of its own first, then runs on the chosen rows."""
        form = form_class(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            run(form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **page,
        }
        return render(request, "admin/services/booking/reason_form.html", context)

    @admin.action(description="驳回所选预约（需填写原因）")
    def reject(self, request, queryset):
        def run(reason):
            _run(
                self,
                request,
                queryset,
                lambda b: operations.reject_booking(booking=b, by=request.user, reason=reason),
                "驳回",
            )

        return self._with_reason(request, queryset, RejectForm, run, {
            "title": "驳回预约", "action": "reject", "intro": "请填写驳回原因，组织者会收到邮件通知。",
            "bookings": queryset.filter(status=BookingStatus.PENDING).select_related("venue__site"),
            "none_label": "所选预约中没有待审核的。", "submit": "确认驳回",
        })  # fmt: skip

    @admin.action(description="解除所选预约组织者的未到场限制（需填写原因）")
    def lift_no_show_hold(self, request, queryset):
        def run(reason):
            lifted = set()
            for booking in queryset.select_related("organizer"):
                if booking.organizer_id in lifted:
                    continue
                lifted.add(booking.organizer_id)
                try:
                    no_shows.lift_hold(organizer=booking.organizer, by=request.user, reason=reason)
                    self.message_user(request, f"已解除 {booking.organizer} 的未到场限制。", messages.SUCCESS)
                except (ValidationError, PermissionDenied) as error:
                    messages.error(request, "；".join(getattr(error, "messages", [str(error)])))

        return self._with_reason(request, queryset, LiftHoldForm, run, {
            "title": "解除未到场限制", "action": "lift_no_show_hold",
            "intro": "近 90 天内 3 次未到场的组织者，之后的预约需审核。请填写解除原因（记录在解除记录中）。",
            "bookings": queryset.select_related("venue__site"), "none_label": "没有选择预约。",
            "submit": "确认解除",
        })  # fmt: skip

    @admin.action(description="取消所选预约")
    def cancel(self, request, queryset):
        _run(self, request, queryset, lambda b: operations.cancel_booking(booking=b, by=request.user), "取消")


@admin.register(NoShowLift)
class NoShowLiftAdmin(WritePathAdmin, admin.ModelAdmin):
    """未到场限制: the dated lifts (append-only); 增加 lifts an organiser's hold through
    no_shows.lift_hold (staff of the area where the no-shows were). The no-shows themselves: 场馆预约,
    状态 = 未到场."""

    refusals = (ValidationError, PermissionDenied)
    list_display = ["organizer", "lifted_at", "lifted_by", "reason"]
    list_select_related = ["organizer", "lifted_by"]
    raw_id_fields = ["organizer"]
    fields = ["organizer", "reason"]
    search_fields = ["organizer__username", "organizer__last_name", "organizer__first_name"]
    show_full_result_count = False

    def get_queryset(self, request):
        # Staff see the lifts made by staff of their own area.
        lifts = super().get_queryset(request)
        path = request.user.scope_path
        return lifts if path == "" else lifts.filter(lifted_by__area__path__startswith=path or "-")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        self.adopt(
            obj, no_shows.lift_hold(organizer=data["organizer"], by=request.user, reason=data["reason"])
        )

    def has_module_permission(self, request):
        return is_area_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a lift is a dated record, never edited

    def has_delete_permission(self, request, obj=None):
        return False


# The 三张清单's admin classes and the co-building units' indicators' (挂包联系, 年度指标,
# 挂钩联系困难群众) live in their own modules.
from . import indicator_admin, list_admin  # noqa: E402, F401
