"""Admin for the area tree, the sites and their rooms, scoped to each staff member's area."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from .admin_filters import DistrictFilter, TownFilter, area_with_parent
from .admin_history import ScopedHistoryAdmin
from .admin_imports import ImportAdminMixin
from .admin_scoping import AreaScopedAdmin, AreaScopedInline
from .forms import OpeningHoursField
from .imports.areas import COLUMNS as AREA_COLUMNS
from .imports.sites import COLUMNS as SITE_COLUMNS
from .models import Area, ImportKind, Site, Venue
from .widgets import LocationField


@admin.register(Area)
class AreaAdmin(ImportAdminMixin, ScopedHistoryAdmin, AreaScopedAdmin):
    import_kind = ImportKind.AREAS
    import_columns = AREA_COLUMNS
    import_title = "导入区域"
    list_display = ["indented_name", "level", "code", "parent_name", "latitude", "longitude"]
    list_filter = ["level", DistrictFilter, TownFilter]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]
    fields = ["name", "level", "parent", "code", "latitude", "longitude", "boundary"]
    list_per_page = 100

    class Media:
        css = {"all": ["css/admin/area_tree.css"]}

    @admin.display(description="名称", ordering="path")
    def indented_name(self, area):
        # The changelist is ordered by path, so indenting by depth draws the tree. A class per depth
        # (css/admin/area_tree.css), not a style attribute: the Content-Security-Policy allows none.
        return format_html('<span class="area-depth-{}">{}</span>', area.depth, area.name)

    @admin.display(description="上级区域", ordering="parent__name")
    def parent_name(self, area):
        return area.parent.name if area.parent_id else "—"

    def get_readonly_fields(self, request, obj=None):
        # A staff member's own area is the root of what they may see: they may rename it or set its
        # centre, but not move it or change its level (its parent lies outside their scope).
        if obj is not None and obj.pk == request.user.area_id and not request.user.is_superuser:
            return ["level", "parent"]
        return []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.area_id and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class VenueInline(AreaScopedInline, admin.TabularInline):
    model = Venue
    extra = 1
    fields = ["name", "capacity", "facilities", "photo", "is_bookable"]
    # Narrower boxes than the admin's defaults, so the rooms table fits the change form's width.
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 18})},
        # A class, not a style attribute: the Content-Security-Policy allows no inline styles.
        models.PositiveIntegerField: {"widget": forms.NumberInput(attrs={"class": "narrow-number"})},
    }

    class Media:
        css = {"all": ["css/admin/rooms_inline.css"]}


class SiteForm(forms.ModelForm):
    location = LocationField()
    opening_hours = OpeningHoursField(
        label="开放时间",
        help_text="每天填一段或两段（如午休前后），时间写成 09:00 或只输数字 0900；不开放的日子勾选“休息”。",
    )

    class Meta:
        model = Site
        fields = [
            "name", "tier", "area", "address", "phone", "is_active", "latitude", "longitude",
            "fn_political", "fn_education", "fn_service", "pioneer_batch", "pioneer_year", "standard",
            "floor_area", "opening_hours", "photo", "description",
        ]  # fmt: skip
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "min": "-90", "max": "90"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "min": "-180", "max": "180"}),
        }


class PioneerFilter(admin.SimpleListFilter):
    title = "海棠花红先锋阵地"
    parameter_name = "pioneer"

    def lookups(self, request, model_admin):
        return [("yes", "是"), ("no", "否")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(pioneer_batch__isnull=self.value() == "no")
        return queryset


@admin.register(Site)
class SiteAdmin(ImportAdminMixin, ScopedHistoryAdmin, AreaScopedAdmin):
    import_kind = ImportKind.SITES
    import_columns = SITE_COLUMNS
    import_title = "导入阵地"
    form = SiteForm
    inlines = [VenueInline]
    list_display = ["name", "tier", "area_label", "standard", "pioneer_label", "is_active", "updated_at"]
    list_filter = [
        "tier",
        PioneerFilter,
        "pioneer_batch",
        "standard",
        "is_active",
        DistrictFilter,
        TownFilter,
    ]
    search_fields = ["name", "address", "area__name"]
    list_select_related = ["area", "area__parent"]
    autocomplete_fields = ["area"]
    fieldsets = [
        (None, {"fields": ["name", "tier", "area", "address", "phone", "is_active"]}),
        ("位置（WGS-84）", {"fields": [("latitude", "longitude"), "location"]}),
        ("三大功能", {"fields": [("fn_political", "fn_education", "fn_service")]}),
        ("海棠花红先锋阵地", {"fields": [("pioneer_batch", "pioneer_year"), "standard"]}),
        ("其他", {"fields": ["floor_area", "opening_hours", "photo", "description"]}),
    ]

    @admin.display(description="服务区域", ordering="area__path")
    def area_label(self, site):
        return area_with_parent(site.area)

    @admin.display(description="先锋阵地", ordering="pioneer_batch")
    def pioneer_label(self, site):
        if not site.is_pioneer:
            return "—"
        return f"第{site.pioneer_batch}批" + (f"（{site.pioneer_year}）" if site.pioneer_year else "")


@admin.register(Venue)
class VenueAdmin(ScopedHistoryAdmin, AreaScopedAdmin):
    list_display = ["name", "site", "site_area", "capacity", "is_bookable"]
    list_filter = ["is_bookable", "site__tier", DistrictFilter, TownFilter]
    search_fields = ["name", "site__name"]
    list_select_related = ["site", "site__area", "site__area__parent"]
    autocomplete_fields = ["site"]

    @admin.display(description="所在区域", ordering="site__area__path")
    def site_area(self, venue):
        return area_with_parent(venue.site.area)
