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
from sites.admin_scoping import AreaScopedAdmin
from sites.forms import OpeningHoursField

from . import booking as operations
from .dates import check_in_range
from .forms import RejectForm
from .models import Booking, BookingStatus, ClosedDate, VenueRules


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
    list_display = ["title", "venue", "span_label", "organizer", "status", "created_at"]
    # A date filter, not date_hierarchy: the hierarchy's year/month links cost a scan of every booking.
    list_filter = ["status", "purpose", ("start", admin.DateFieldListFilter)]
    list_select_related = ["venue__site", "organizer"]
    search_fields = ["title", "venue__name", "venue__site__name", "organizer__username", "group_name"]
    actions = ["approve", "reject", "cancel"]
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

    @admin.action(description="驳回所选预约（需填写原因）")
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            _run(
                self,
                request,
                queryset,
                lambda b: operations.reject_booking(booking=b, by=request.user, reason=reason),
                "驳回",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "驳回预约",
            "bookings": queryset.filter(status=BookingStatus.PENDING).select_related("venue__site"),
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/services/booking/reject.html", context)

    @admin.action(description="取消所选预约")
    def cancel(self, request, queryset):
        _run(self, request, queryset, lambda b: operations.cancel_booking(booking=b, by=request.user), "取消")


# The 三张清单's admin classes live in their own module.
from . import list_admin  # noqa: E402, F401
