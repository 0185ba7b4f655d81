"""Admin of 组织生活: meetings (read here, recorded on the pages), the compliance rules and term lengths
(data district staff change, for a year or for good), committee terms (an election and an approved
extension go through members/terms.py), and an area's compliance list (the page's, inside the admin)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path

from sites.admin_history import ScopedHistoryAdmin
from sites.admin_scoping import AreaScopedAdmin, BoundedIdsAdmin, WritePathAdmin, is_area_staff

from . import compliance, terms
from .meeting_forms import YearForm
from .models import (
    Attendance,
    CommitteeTerm,
    ComplianceRule,
    Meeting,
    MeetingAmendment,
    MeetingAttachment,
    Organization,
    Role,
    TermLength,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = readonly_fields = ["member", "status", "reason"]


class AttachmentInline(ReadOnlyInline):
    model = MeetingAttachment
    fields = readonly_fields = ["kind", "uploaded_by", "uploaded_at"]


class AmendmentInline(ReadOnlyInline):
    model = MeetingAmendment
    fields = readonly_fields = ["at", "by", "reason", "changes"]


@admin.register(Meeting)
class MeetingAdmin(ScopedHistoryAdmin, AreaScopedAdmin):
    """Read-only: a record is written (and amended, with a reason) on the 组织生活 pages, through
    members/meetings.py, so its attendance and amendment trail stay whole."""

    list_display = ["topic", "organization", "kind", "start", "status", "late_entry"]
    list_filter = ["kind", "status", "late_entry"]
    search_fields = ["topic", "organization__name"]
    list_select_related = ["organization"]
    date_hierarchy = "start"
    inlines = [AttendanceInline, AttachmentInline, AmendmentInline]
    readonly_fields = [f.name for f in Meeting._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.compliance_view)
        return [path("compliance/", view, name="members_meeting_compliance"), *super().get_urls()]

    def compliance_view(self, request):
        """组织生活落实情况 of the staff member's area, as the page shows it (members/compliance.py)."""
        if not is_area_staff(request.user):
            raise PermissionDenied
        area = request.user.area
        year = compliance_year(request)
        organizations = Organization.objects.visible_to(request.user)
        rows = compliance.area_list(organizations, year=year)
        context = {
            **self.admin_site.each_context(request), "title": f"组织生活落实情况（{year} 年）",
            "rows": rows, "area": area, "year": year, "opts": self.model._meta,
        }  # fmt: skip
        return TemplateResponse(request, "admin/members/compliance.html", context)

    change_list_template = "admin/members/meeting/change_list.html"  # a link to the compliance list


def compliance_year(request):
    form = YearForm(request.GET or None)
    return form.chosen_year() if not form.is_bound or form.is_valid() else YearForm().chosen_year()


class DistrictDataAdmin(BoundedIdsAdmin, admin.ModelAdmin):
    """Configuration of the whole city: district administrators and superusers change it; staff read it."""

    def has_module_permission(self, request):
        return is_area_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_area_staff(request.user)

    def _may_edit(self, request):
        return request.user.is_superuser or request.user.acts_as(Role.DISTRICT_ADMIN)

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request)


@admin.register(ComplianceRule)
class ComplianceRuleAdmin(ScopedHistoryAdmin, DistrictDataAdmin):
    list_display = ["organization_kind", "meeting_kind", "frequency", "year", "required"]
    list_filter = ["organization_kind", "meeting_kind", "year"]


@admin.register(TermLength)
class TermLengthAdmin(ScopedHistoryAdmin, DistrictDataAdmin):
    list_display = ["organization_kind", "years"]


class TermForm(forms.ModelForm):
    def validate_unique(self):
        # A new election while a term is active is the point: elect_committee ends that term first, and
        # the one-active-term index still refuses a race.
        pass


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(WritePathAdmin, ScopedHistoryAdmin, AreaScopedAdmin):
    """Adding a term is registering an election (terms.elect_committee ends the one before); changing one
    is approving an extension (terms.extend_term). Nothing else is typed here."""

    list_display = ["organization", "number", "elected_on", "due_on", "state_label", "ended_on"]
    list_filter = ["number"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    form = TermForm
    refusals = (ValidationError, PermissionDenied)

    @admin.display(description="届满（含延期）")
    def due_on(self, term):
        return term.due_on

    @admin.display(description="换届状态")
    def state_label(self, term):
        return term.state_label()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "number", "elected_on"]
        return ["organization", "number", "elected_on", "years", "regular_due_on", "ended_on",
                "extended_until", "extension_reason", "extension_approved_by"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "organization",
            "number",
            "elected_on",
            "years",
            "regular_due_on",
            "ended_on",
            "extension_approved_by",
        ]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            if not data.get("extended_until"):
                raise ValidationError("请填写延期日期和原因；届次的其他内容不能在此修改。")
            saved = terms.extend_term(
                term=obj,
                by=request.user,
                until=data.get("extended_until"),
                reason=data.get("extension_reason"),
            )
        else:
            saved = terms.elect_committee(
                organization=data["organization"], by=request.user, elected_on=data["elected_on"],
                number=data.get("number"),
            )  # fmt: skip
        self.adopt(obj, saved)

    def has_delete_permission(self, request, obj=None):
        return False
