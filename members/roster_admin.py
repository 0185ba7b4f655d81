"""Admin of the party-member roster: members (with their 组织关系 history), 在职党员报到, and the
personal-data access log (superusers only).

Scoped like every admin (AreaScopedAdmin); every write goes through members/roster.py (WritePathAdmin).
Phone numbers are masked in lists; a change page shows one in full only to those may_see_phone allows
for the member's organisation's area, and such a view is written to the access log. The 身份证号 is
typed once, on the add page, and never shown again (only its last four).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from sites.admin_history import ScopedHistoryAdmin
from sites.admin_imports import ImportAdminMixin
from sites.admin_scoping import AreaScopedAdmin, BoundedIdsAdmin, WritePathAdmin
from sites.models import ImportKind

from . import roster, roster_export, roster_import
from .admin import PhoneMaskingAdmin
from .models import CommunityReporting, Member, MemberStatus, PersonalDataAccess, may_see_phone


class MemberAddForm(forms.ModelForm):
    id_number = forms.CharField(
        label="身份证号",
        max_length=18,
        help_text="只用于核对重复登记：系统只保存其加密指纹和后四位，不保存号码本身。",
        error_messages={"required": "请填写身份证号。"},
    )
    since = forms.DateField(
        label="转入日期", help_text="组织关系转入本党组织的日期；留空为今天。", required=False
    )

    class Meta:
        model = Member
        fields = ["name", "id_number", "gender", "birth_year", "status", "joined_on", "confirmed_on"]
        fields += ["organization", "group", "since", "phone", "workplace"]


class MemberChangeForm(forms.ModelForm):
    moved_on = forms.DateField(
        label="转接日期",
        required=False,
        help_text="改了党组织或党小组时填写：原组织关系到这天结束；留空为今天。",
    )

    class Meta:
        model = Member
        fields = ["name", "gender", "birth_year", "phone", "workplace", "joined_on", "status", "confirmed_on"]
        fields += ["organization", "group", "moved_on"]


@admin.register(Member)
class MemberAdmin(ImportAdminMixin, WritePathAdmin, PhoneMaskingAdmin, ScopedHistoryAdmin, AreaScopedAdmin):
    list_display = [
        "name",
        "gender",
        "status",
        "organization",
        "group",
        "id_masked",
        "phone_masked",
        "workplace",
    ]
    list_filter = ["status", "gender"]
    search_fields = ["name"]
    list_select_related = ["organization", "group"]
    autocomplete_fields = ["organization", "group"]
    actions = ["export_xlsx"]
    import_kind = ImportKind.MEMBERS
    import_columns = roster_import.COLUMNS
    import_title = "导入党员名册"

    def phone_owner_id(self, member):
        return member.user_id

    def _hides_phone(self, request, obj):
        # A member's number is given to their organisation: its area's staff may read it (logged).
        area = obj.organization.area if obj and obj.organization_id else None
        return bool(obj and obj.phone) and not may_see_phone(request.user, owner_id=obj.user_id, area=area)

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = MemberChangeForm if obj else MemberAddForm
        kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        form = MemberChangeForm if obj else MemberAddForm
        fields = list(form.base_fields)
        if obj:
            fields = [*fields[:3], "id_masked", *fields[3:], "membership_history"]
        return [(None, {"fields": fields})]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "id_masked", "membership_history"] if obj else readonly

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        member = getattr(response, "context_data", {}).get("original")
        shown = member and member.phone and not self._hides_phone(request, member)
        # The person's own number shown to them is no disclosure; anyone else's in full is logged.
        if request.method == "GET" and shown and member.user_id != request.user.pk:
            roster.log_unmasked_view(user=request.user, member=member, what="管理后台党员详情（手机号）")
        return response

    def save_model(self, request, obj, form, change):
        data, by = form.cleaned_data, request.user
        if not change:
            fields = ["name", "id_number", "gender", "birth_year", "status", "joined_on", "confirmed_on"]
            fields += ["organization", "group", "phone", "workplace"]
            saved = roster.enrol_member(
                by=by, since=data["since"] or timezone.localdate(), **{f: data[f] for f in fields}
            )
            self.adopt(obj, saved)
            return
        member = Member.objects.select_related("organization__area").get(pk=obj.pk)
        # A 转正 date typed with the status change is confirm_member's, not an edit.
        status_changes = "status" in form.changed_data
        edits = {
            f: data[f]
            for f in roster.EDITABLE
            if f in form.changed_data and not (status_changes and f == "confirmed_on")
        }
        roster.edit_member(member=member, by=by, changes=edits)
        if {"organization", "group"} & set(form.changed_data):
            on = data["moved_on"] or timezone.localdate()
            roster.move_member(member=member, by=by, to=data["organization"], group=data["group"], on=on)
        if status_changes:
            if data["status"] != MemberStatus.FULL:
                raise ValidationError("正式党员不能改回预备党员。")
            roster.confirm_member(member=member, by=by, on=data["confirmed_on"] or timezone.localdate())

    def delete_model(self, request, obj):
        raise ValidationError("党员不能删除：组织关系转出请用“转接”，名册保留历史。")

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="组织关系（历史）")
    def membership_history(self, member):
        rows = member.memberships.select_related("organization", "group").order_by("-since")
        return format_html_join(
            mark_safe("<br>"),
            "{}{}：{} 至 {}",
            (
                (m.organization.name, f"（{m.group.name}）" if m.group else "", m.since, m.until or "今")
                for m in rows
            ),
        )

    @admin.display(description="身份证号")
    def id_masked(self, member):
        return member.masked_id_number or "—"

    @admin.display(description="手机号")
    def phone_masked(self, member):
        return member.masked_phone or "—"

    @admin.action(description="导出所选党员（Excel，记入访问记录）")
    def export_xlsx(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        data = roster_export.export_roster(
            user=request.user,
            members=self.get_queryset(request).filter(pk__in=ids),
            what="管理后台导出所选党员",
            filters={"ids": ids},
        )
        response = HttpResponse(data, content_type=roster_export.CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="members.xlsx"'
        return response


class ReportingAddForm(forms.ModelForm):
    class Meta:
        model = CommunityReporting
        fields = ["member", "community", "grid", "since"]


class ReportingChangeForm(forms.ModelForm):
    class Meta:
        model = CommunityReporting
        fields = ["until"]


@admin.register(CommunityReporting)
class CommunityReportingAdmin(WritePathAdmin, AreaScopedAdmin):
    list_display = ["member", "member_organization", "community", "grid", "since", "until"]
    list_filter = [("until", admin.EmptyFieldListFilter)]
    search_fields = ["member__name"]
    list_select_related = ["member__organization", "community", "grid"]
    autocomplete_fields = ["member", "community", "grid"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = ReportingChangeForm if obj else ReportingAddForm
        kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj:
            return [(None, {"fields": ["member", "community", "grid", "since", "until"]})]
        return [(None, {"fields": list(ReportingAddForm.base_fields)})]

    def get_readonly_fields(self, request, obj=None):
        return ["member", "community", "grid", "since"] if obj else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            if data["until"] is not None:
                roster.end_reporting(reporting=obj, by=request.user, on=data["until"])
            return
        saved = roster.report_to_community(by=request.user, **data)
        self.adopt(obj, saved)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="组织关系所在党组织")
    def member_organization(self, reporting):
        return reporting.member.organization


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(BoundedIdsAdmin, admin.ModelAdmin):
    """The access log: superusers read it; nobody adds, changes or deletes (the table refuses too)."""

    list_display = ["at", "user", "kind", "what", "count"]
    list_filter = ["kind"]
    search_fields = ["user__username", "what"]
    list_select_related = ["user"]
    show_full_result_count = False

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
