"""Admin for accounts and party organisations, scoped like everything else to the staff member's area.

Superusers and district administrators create staff and organiser accounts; a staff account's area must
lie within the creator's scope (the area dropdown offers nothing else) and fit the role (User.clean).
Street and community staff see the accounts within their area, read-only. Phone numbers are masked in
the lists, and on a change page for anyone but the people members.models.may_see_phone names.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from sites.admin_filters import DistrictFilter, TownFilter, area_with_parent
from sites.admin_history import ScopedHistoryAdmin
from sites.admin_scoping import AreaScopedAdmin, BoundedIdsAdmin
from sites.admin_wording import ChinesePermissionsAdmin

from .models import Notification, Organization, Role, User, mask_phone, may_see_phone


class HiddenPhoneForm:
    """Mixed into a change form whose viewer may not read the number: the box starts empty (the number
    is nowhere in the page, not even as a value), shows the masked number as a hint, and a new number
    typed in replaces it; left empty, the number stays as it was."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["phone"] = ""
        self.fields["phone"].widget.attrs["placeholder"] = mask_phone(self.instance.phone)
        self.fields["phone"].help_text = "号码已隐藏；填写新号码即替换，留空则保持不变。"

    def clean_phone(self):
        return self.cleaned_data["phone"] or self.instance.phone


class PhoneMaskingAdmin:
    """An admin of a model with a `phone`: who may read it is may_see_phone's rule, asked of
    `phone_owner_id(obj)` (the account it belongs to, if any); searching by its digits is offered only
    to those who may read every number in the list (superusers), so a match can't reveal one."""

    def phone_owner_id(self, obj):
        return None

    def _hides_phone(self, request, obj):
        return bool(obj and obj.phone) and not may_see_phone(request.user, owner_id=self.phone_owner_id(obj))

    @admin.display(description="电话（已部分隐藏）")
    def hidden_phone(self, obj):
        return mask_phone(obj.phone)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._hides_phone(request, obj) or self.has_change_permission(request, obj):
            return fieldsets
        # A read-only page prints the model's own value: the masked one takes the field's place.
        return [
            (name, {**options, "fields": ["hidden_phone" if f == "phone" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "hidden_phone"] if self._hides_phone(request, obj) else readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not self._hides_phone(request, obj) or "phone" not in form.base_fields:
            return form
        return type(form)(form.__name__, (HiddenPhoneForm, form), {})

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if may_see_phone(request.user) else [f for f in fields if f != "phone"]


@admin.register(Organization)
class OrganizationAdmin(PhoneMaskingAdmin, ScopedHistoryAdmin, AreaScopedAdmin):
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
class UserAdmin(
    ChinesePermissionsAdmin, PhoneMaskingAdmin, ScopedHistoryAdmin, AreaScopedAdmin, DjangoUserAdmin
):
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

    def phone_owner_id(self, user):
        return user.pk

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


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ChinesePermissionsAdmin, BoundedIdsAdmin, DjangoGroupAdmin):
    """Django's, with its permission ids bounded like every other admin's (2**63 was a 500 on SQLite)
    and its permissions named in Chinese."""


@admin.register(Notification)
class NotificationAdmin(BoundedIdsAdmin, admin.ModelAdmin):
    """The outbox, for superusers to see what was sent and what failed (发送失败, with the error). Read
    only: rows are written by members.notify and change only by delivery."""

    # The message as its recipient read it, not the template's file name, its context's keys or the
    # de-duplication key (identifiers in English).
    list_display = ["created_at", "recipient", "channel", "subject_text", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["recipient"]
    search_fields = ["key", "recipient__username"]
    show_full_result_count = False
    raw_id_fields = ["recipient"]
    exclude = ["template", "context", "key"]
    readonly_fields = ["subject_text", "body_text"]

    @admin.display(description="主题")
    def subject_text(self, notification):
        return notification.subject

    @admin.display(description="内容")
    def body_text(self, notification):
        return notification.body

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
