"""三张清单 in the admin: needs (recorded and published by community staff), resources, and the claims.

Each write goes through services/needs.py and services/claims.py: the admin parses and shows. The
claims are read-only here; their steps are actions that call the same operations as 认领管理.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from sites.admin_history import ScopedHistoryAdmin
from sites.admin_scoping import AreaScopedAdmin, WritePathAdmin
from sites.models import Area, AreaLevel

from . import claims as operations
from . import needs as lists
from .list_models import Claim, ClaimEvent, Need, NeedStatus, Resource


class NeedAdmin(WritePathAdmin, ScopedHistoryAdmin, AreaScopedAdmin):
    refusals = (ValidationError, operations.ClaimConflict)
    list_display = ["title", "community", "kind", "quantity", "claimed", "fulfilled", "status", "created_at"]
    list_filter = ["status", "category", "kind", "urgency"]
    list_select_related = ["community"]
    search_fields = ["title", "community__name"]
    raw_id_fields = ["community", "grid"]
    fields = ["community", *lists.NEED_FIELDS, "status", "claimed", "fulfilled"]
    readonly_fields = ["status", "claimed", "fulfilled"]
    actions = ["publish", "withdraw", "close"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "community"] if obj else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "community":
            kwargs["queryset"] = Area.objects.visible_to(request.user).filter(level=AreaLevel.COMMUNITY)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # a need leaves the board by being withdrawn: its claims keep their record

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in lists.NEED_FIELDS}
            lists.edit_need(need=obj, by=request.user, changes=changes)
        else:
            fields = {name: data[name] for name in lists.NEED_FIELDS if name in data}
            self.adopt(obj, lists.create_need(community=data["community"], by=request.user, **fields))

    def _each(self, request, queryset, operation, verb):
        done = 0
        for need in queryset.select_related("community"):
            try:
                operation(need=need, by=request.user)
                done += 1
            except (ValidationError, PermissionDenied, operations.ClaimConflict) as error:
                messages.error(
                    request, f"{need.title}：{'；'.join(getattr(error, 'messages', [str(error)]))}"
                )
        if done:
            self.message_user(request, f"已{verb} {done} 项需求。", messages.SUCCESS)

    @admin.action(description="发布所选需求")
    def publish(self, request, queryset):
        self._each(request, queryset.filter(status=NeedStatus.DRAFT), lists.publish_need, "发布")

    @admin.action(description="撤回所选需求")
    def withdraw(self, request, queryset):
        self._each(request, queryset, lists.withdraw_need, "撤回")

    @admin.action(description="关闭所选需求")
    def close(self, request, queryset):
        self._each(request, queryset, lists.close_need, "关闭")


class ResourceAdmin(WritePathAdmin, ScopedHistoryAdmin, AreaScopedAdmin):
    refusals = (ValidationError, operations.ClaimConflict)
    list_display = ["title", "organization", "street", "kind", "year", "quantity", "claimed", "status"]
    list_filter = ["status", "form", "kind", "year"]
    list_select_related = ["organization", "street"]
    search_fields = ["title", "organization__name"]
    raw_id_fields = ["organization", "street"]
    fields = ["organization", *lists.RESOURCE_FIELDS, "status", "claimed"]
    readonly_fields = ["organization", "status", "claimed"]

    def has_add_permission(self, request):
        return False  # offered by the unit's own staff (/api/resources/), for their unit

    def has_change_permission(self, request, obj=None):
        return False  # read-only: the unit keeps its resources; staff see what reaches their area

    def has_delete_permission(self, request, obj=None):
        return False


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    fields = ["status", "by", "at", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClaimAdmin(AreaScopedAdmin):
    list_display = ["__str__", "direction", "community", "quantity", "status", "created_at"]
    list_filter = ["status", "direction", "rating"]
    list_select_related = ["need", "resource", "organization", "community"]
    search_fields = ["need__title", "resource__title", "organization__name", "community__name"]
    readonly_fields = [f.name for f in Claim._meta.fields]
    inlines = [ClaimEventInline]
    actions = ["accept"]

    def get_queryset(self, request):
        return Claim.objects.visible_to(request.user).select_related(*self.list_select_related)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # steps are actions and 认领管理's forms, which run claims.py

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="确认所选认领")
    def accept(self, request, queryset):
        done = 0
        for claim in queryset:
            try:
                operations.accept_claim(claim=claim, by=request.user)
                done += 1
            except (PermissionDenied, operations.ClaimConflict) as error:
                messages.error(request, f"{claim}：{error}")
        if done:
            self.message_user(request, f"已确认 {done} 条认领。", messages.SUCCESS)


admin.site.register(Need, NeedAdmin)
admin.site.register(Resource, ResourceAdmin)
admin.site.register(Claim, ClaimAdmin)
