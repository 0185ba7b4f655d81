"""Admin for accounts and party organisations, scoped like everything else to the staff member's area.

Superusers and district administrators create staff and organiser accounts; a staff account's area must
lie within the creator's scope (the area dropdown offers nothing else) and fit the role (User.clean).
Street and community staff see the accounts within their area, read-only. Phone numbers are masked in
the lists.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from sites.admin_filters import DistrictFilter, TownFilter, area_with_parent
from sites.admin_history import ScopedHistoryAdmin
from sites.admin_scoping import AreaScopedAdmin

from .models import Organization, Role, User


@admin.register(Organization)
class OrganizationAdmin(ScopedHistoryAdmin, AreaScopedAdmin):
    list_display = ["name", "kind", "sector", "area_label", "parent", "paired_street", "secretary"]
    list_filter = [
        "kind",
        "sector",
        ("paired_street", admin.EmptyFieldListFilter),
        DistrictFilter,
        TownFilter,
    ]
    search_fields = ["name", "secretary"]
    list_select_related = ["area", "area__parent", "parent", "paired_street"]
    autocomplete_fields = ["area", "parent", "paired_street", "sites"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "parent", "area", "secretary", "phone"]}),
        ("共驻共建", {"fields": ["sector", "paired_street"]}),
        ("承办阵地", {"fields": ["sites"]}),
    ]

    @admin.display(description="所在区域", ordering="area__path")
    def area_label(self, org):
        return area_with_parent(org.area)


@admin.register(User)
class UserAdmin(ScopedHistoryAdmin, AreaScopedAdmin, DjangoUserAdmin):
    editing_roles = {Role.DISTRICT_ADMIN}
    list_display = ["username", "full_name", "role", "area_label", "phone_masked", "is_active", "last_login"]
    list_filter = ["role", "is_active", DistrictFilter, TownFilter]
    search_fields = ["username", "last_name", "first_name", "phone"]
    list_select_related = ["area", "area__parent"]
    autocomplete_fields = ["area", "organization"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["last_name", "first_name", "email", "phone"]}),
        ("角色与负责区域", {"fields": ["role", "area", "organization", "is_active"]}),
        ("登录记录", {"fields": ["last_login", "date_joined"]}),
    ]
    superuser_fieldsets = [("权限", {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]})]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2"]}),
        ("角色与负责区域", {"fields": ["role", "area", "organization", "last_name", "phone"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return [*fieldsets, *self.superuser_fieldsets]
        return fieldsets

    @admin.display(description="姓名", ordering="last_name")
    def full_name(self, user):
        return f"{user.last_name}{user.first_name}" or "—"

    @admin.display(description="负责区域", ordering="area__path")
    def area_label(self, user):
        return area_with_parent(user.area)

    @admin.display(description="手机号")
    def phone_masked(self, user):
        return user.masked_phone or "—"
