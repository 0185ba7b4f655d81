"""Admin of volunteers, point rules, service records, the ledger, rewards, redemptions and rankings.

Scoped to the staff member's area like every admin (AreaScopedAdmin); anything with a status or a
counter is decided by the domain functions (WritePathAdmin): a service is verified or rejected, a
redemption handed over or cancelled, by admin actions calling service_records.py and rewards.py; a
rule is changed by a new version (points.revise_rule); the ledger and the rankings are read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join

from sites.admin_history import ScopedHistoryAdmin
from sites.admin_scoping import AreaScopedAdmin, ReadOnlyAdmin, WritePathAdmin

from . import points, rewards, service_records
from .admin import PhoneMaskingAdmin
from .errors import Refusal
from .models import MonthlyRanking, PointRule, PointsEntry, Redemption, Reward, ServiceRecord, Volunteer
from .models.rewards import MAX_STOCK


class ReasonActionForm(ActionForm):
    reason = forms.CharField(label="原因", required=False, max_length=300)


def _run_each(modeladmin, request, queryset, operation, done):
    """Apply `operation` to each ticked row in its own transaction; refusals become messages."""
    succeeded = 0
    for obj in queryset:
        try:
            operation(obj)
            succeeded += 1
        except (Refusal, ValidationError) as error:
            reason = error.message if isinstance(error, Refusal) else "；".join(error.messages)
            modeladmin.message_user(request, f"{obj}：{reason}", messages.ERROR)
    if succeeded:
        modeladmin.message_user(request, f"{done} {succeeded} 条。", messages.SUCCESS)


@admin.register(Volunteer)
class VolunteerAdmin(PhoneMaskingAdmin, WritePathAdmin, ScopedHistoryAdmin, AreaScopedAdmin):
    list_display = ["name", "community", "phone_masked", "points", "member", "registered_at"]
    search_fields = ["name", "phone"]
    list_select_related = ["community", "member"]
    raw_id_fields = ["community", "member", "user"]
    readonly_fields = ["points", "registered_at"]
    fields = ["name", "phone", "community", "member", "user", "points", "registered_at"]

    def phone_owner_id(self, volunteer):
        return volunteer.user_id

    @admin.display(description="手机号")
    def phone_masked(self, volunteer):
        return volunteer.masked_phone

    def save_model(self, request, obj, form, change):
        # The balance is members/points.py's: a change saves only the fields typed here, never a stale
        # balance over a posting made meanwhile; a new community carries the volunteer's months with it.
        if change:
            if "community" in form.changed_data:
                points.move_volunteer(volunteer=obj, community=obj.community)
            fields = [name for name in form.changed_data if name in self.fields and name != "community"]
            obj.save(update_fields=fields)
        else:
            obj.save()


@admin.register(PointRule)
class PointRuleAdmin(WritePathAdmin, AreaScopedAdmin):
    refusals = (ValidationError, Refusal)
    list_display = ["name", "code", "version", "category", "area", "points_per_unit", "unit", "monthly_cap"]
    list_filter = ["category", "evidence_required"]
    list_select_related = ["area"]
    search_fields = ["name", "code"]
    raw_id_fields = ["area"]
    fields = [
        "code", "name", "category", "area", "unit", "points_per_unit", "monthly_cap", "evidence_required",
        "effective_from", "effective_to", "version",
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        # A new version keeps the rule's identity and area; its end date follows the next version.
        return ["version"] + (["code", "area", "effective_to"] if obj is not None else [])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()
            return
        terms = {name: form.cleaned_data[name] for name in form.changed_data if name != "effective_from"}
        current = PointRule.objects.get(pk=obj.pk)
        new = points.revise_rule(
            rule=current, by=request.user, effective_from=form.cleaned_data["effective_from"], **terms
        )
        self.adopt(obj, new)
        self.message_user(request, f"已生成第 {new.version} 版；此前按旧版本发放的积分不变。")

    def has_delete_permission(self, request, obj=None):
        return False  # service records and entries name their version


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ["volunteer", "title", "served_on", "rule", "units", "status", "points", "submitted_at"]
    list_filter = ["status", "rule__category"]
    list_select_related = ["volunteer", "rule"]
    search_fields = ["volunteer__name", "title"]
    raw_id_fields = ["volunteer", "rule", "decided_by"]
    # The photos as links to their scoped view, not their storage paths.
    readonly_fields = ["photo_links"]
    action_form = ReasonActionForm
    actions = ["verify", "reject"]

    @admin.display(description="照片")
    def photo_links(self, record):
        photos = record.photos.all()
        if not photos:
            return "（无）"
        return format_html_join(
            "　",
            '<a href="{}" target="_blank" rel="noopener">照片 {}</a>',
            ((photo.get_absolute_url(), n) for n, photo in enumerate(photos, 1)),
        )

    @admin.action(description="审核通过所选服务记录（积分到账）")
    def verify(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda r: service_records.verify_service(record=r, by=request.user),
            "已通过",
        )

    @admin.action(description="退回所选服务记录（须填写原因）")
    def reject(self, request, queryset):
        reason = request.POST.get("reason", "")
        _run_each(
            self,
            request,
            queryset,
            lambda r: service_records.reject_service(record=r, by=request.user, reason=reason),
            "已退回",
        )


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "volunteer", "kind", "amount", "source_text", "note", "by"]
    list_filter = ["kind"]
    list_select_related = ["volunteer", "by"]
    search_fields = ["volunteer__name", "source"]
    raw_id_fields = ["volunteer", "service_record", "rule", "redemption", "reverses", "by"]
    exclude = ["source"]
    readonly_fields = ["source_text"]
    action_form = ReasonActionForm
    actions = ["reverse"]

    @admin.display(description="来源", ordering="source")
    def source_text(self, entry):
        return entry.source_label

    @admin.action(description="冲正所选积分流水（须填写原因）")
    def reverse(self, request, queryset):
        reason = request.POST.get("reason", "")
        _run_each(
            self,
            request,
            queryset,
            lambda e: points.reverse_entry(entry=e, by=request.user, note=reason),
            "已冲正",
        )


class RewardForm(forms.ModelForm):
    add_stock = forms.IntegerField(
        label="补充库存", min_value=1, max_value=MAX_STOCK, required=False, help_text="在现有库存上增加。"
    )

    class Meta:
        model = Reward
        fields = ["organization", "name", "description", "price", "stock", "active"]


@admin.register(Reward)
class RewardAdmin(WritePathAdmin, AreaScopedAdmin):
    refusals = (ValidationError, Refusal)
    form = RewardForm
    list_display = ["name", "organization", "price", "stock", "active"]
    list_filter = ["active"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name"]
    raw_id_fields = ["organization"]

    def get_fields(self, request, obj=None):
        fields = ["organization", "name", "description", "price", "stock", "active"]
        return [*fields, "stocked", "add_stock"] if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        # The stock moves with redemptions: restocked by adding to it, never typed over; 累计入库 is
        # what reconcile checks it against.
        return ["organization", "stock", "stocked"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()
            return
        obj.save(
            update_fields=[n for n in form.changed_data if n in ("name", "description", "price", "active")]
        )
        if form.cleaned_data.get("add_stock"):
            rewards.restock(reward=obj, by=request.user, quantity=form.cleaned_data["add_stock"])

    def has_delete_permission(self, request, obj=None):
        return False  # redemptions name it; take it off offer instead


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "volunteer", "reward", "points", "status", "expires_at", "closed_by"]
    list_filter = ["status"]
    list_select_related = ["volunteer", "reward", "closed_by"]
    search_fields = ["volunteer__name", "reward__name"]
    raw_id_fields = ["volunteer", "reward", "closed_by"]
    actions = ["hand_over", "cancel"]

    @admin.action(description="确认所选兑换已领取")
    def hand_over(self, request, queryset):
        _run_each(
            self, request, queryset, lambda r: rewards.hand_over(redemption=r, by=request.user), "已确认领取"
        )

    @admin.action(description="取消所选兑换（积分和库存退回）")
    def cancel(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda r: rewards.cancel_redemption(redemption=r, by=request.user),
            "已取消",
        )


@admin.register(MonthlyRanking)
class MonthlyRankingAdmin(ReadOnlyAdmin):
    list_display = ["year", "month", "area", "rank", "name", "points", "frozen_at"]
    list_filter = ["year", "month"]
    list_select_related = ["area"]
    search_fields = ["name", "area__name"]
