"""The co-building units' indicators in the admin: the indicators and each year's N (district staff
change them; everyone on staff reads them), the yearly agreements (挂包联系) of the streets in the
user's area, and the hardship links, named through services/hardship.py with the household masked for
anyone but the community's staff.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from members.meeting_admin import DistrictDataAdmin
from members.models import Organization, Role
from sites.admin_history import ScopedHistoryAdmin
from sites.admin_scoping import AreaScopedAdmin, AreaScopedInline, WritePathAdmin
from sites.models import Area, AreaLevel

from . import hardship
from .indicator_models import CobuildingAgreement, HardshipLink, Indicator, IndicatorTarget


class IndicatorTargetInline(AreaScopedInline, admin.TabularInline):
    model = IndicatorTarget
    fields = ["year", "at_least"]
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(ScopedHistoryAdmin, DistrictDataAdmin):
    list_display = ["name", "measure", "at_least", "unit", "order", "active"]
    list_editable = ["order", "active"]
    inlines = [IndicatorTargetInline]

    def get_exclude(self, request, obj=None):
        # 代码 (party_lecture …) is the API's key, set by whoever defines an indicator; staff who may only
        # read indicators see them in Chinese without it.
        exclude = list(super().get_exclude(request, obj) or ())
        return exclude if self.has_change_permission(request, obj) else [*exclude, "code"]


@admin.register(CobuildingAgreement)
class CobuildingAgreementAdmin(ScopedHistoryAdmin, AreaScopedAdmin):
    list_display = ["organization", "street", "year", "signed_on"]
    list_filter = ["year"]
    list_select_related = ["organization", "street"]
    search_fields = ["organization__name", "street__name"]
    raw_id_fields = ["organization"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "street":
            kwargs["queryset"] = Area.objects.visible_to(request.user).filter(level=AreaLevel.TOWN)
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.cobuilding()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(HardshipLink)
class HardshipLinkAdmin(WritePathAdmin, AreaScopedAdmin):
    refusals = (ValidationError, PermissionDenied)
    list_select_related = ["organization", "community"]
    list_filter = ["ended_on"]
    search_fields = ["organization__name", "community__name"]
    raw_id_fields = ["organization", "community"]
    fields = ["organization", "community", *hardship.HOUSEHOLD_FIELDS, "started_on", "ended_on"]

    def get_list_display(self, request):
        # The household's name as this viewer may see it (masked unless the community is theirs).
        @admin.display(description="户主")
        def household(link):
            return link.household_for(request.user)[0]

        return ["organization", "community", household, "started_on", "ended_on"]

    def get_list_display_links(self, request, list_display):
        # Rows open only for those who may read the household (a community's staff see only their own).
        if request.user.acts_as(Role.COMMUNITY_STAFF):
            return super().get_list_display_links(request, list_display)
        return None

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["ended_on"]
        # A link's household is not edited: it is ended, and a new one named.
        return ["organization", "community", *hardship.HOUSEHOLD_FIELDS, "started_on"]

    def has_change_permission(self, request, obj=None):
        return obj is None or hardship.may_link(request.user, obj.community)

    def has_view_permission(self, request, obj=None):
        # The household's details are its community's: others see the list with names masked only.
        return obj is None or hardship.may_link(request.user, obj.community)

    def has_delete_permission(self, request, obj=None):
        return False  # ended, never deleted: it counts for the years it ran

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            if "ended_on" in form.changed_data and data["ended_on"]:
                hardship.end_link(link=obj, by=request.user, ended_on=data["ended_on"])
            return
        fields = {name: data[name] for name in (*hardship.HOUSEHOLD_FIELDS, "started_on")}
        self.adopt(
            obj,
            hardship.link_household(
                by=request.user, organization=data["organization"], community=data["community"], **fields
            ),
        )
