"""Residents' demands in the admin: the categories (staff-managed, with their time limits) and a
read-only, scoped list of demands with their timeline. Moves happen on the staff pages and the API,
which call services/demands.py; the admin shows."""

from django.contrib import admin

from members.models import Role
from sites.admin_history import ScopedHistoryAdmin
from sites.admin_paging import CappedCountPaginator
from sites.admin_scoping import AreaScopedAdmin

from .demand_models import Demand, DemandCategory, DemandTransition


@admin.register(DemandCategory)
class DemandCategoryAdmin(ScopedHistoryAdmin, admin.ModelAdmin):
    """One list for the city: district administrators and superusers keep it. A changed time limit
    applies to demands accepted afterwards (the deadline is fixed at 受理)."""

    list_display = ["name", "deadline_days", "active", "position"]
    list_editable = ["active", "position"]
    search_fields = ["name"]

    def _keeps(self, request):
        return request.user.is_superuser or request.user.acts_as(Role.DISTRICT_ADMIN)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_area_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_area_staff

    def has_add_permission(self, request):
        return self._keeps(request)

    def has_change_permission(self, request, obj=None):
        return self._keeps(request)

    def has_delete_permission(self, request, obj=None):
        return False  # a category demands use is kept (PROTECT); switch it off with 启用 instead


class TransitionInline(admin.TabularInline):
    model = DemandTransition
    fields = ["at", "from_status", "to_status", "by", "note", "deadline"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Demand)
class DemandAdmin(AreaScopedAdmin):
    list_display = ["__str__", "community", "category", "status", "submitted_at", "deadline", "reopen_count"]
    list_filter = ["status", "category"]
    list_select_related = ["community", "category"]
    search_fields = ["title"]
    ordering = ["-submitted_at"]
    paginator = CappedCountPaginator
    # The contact's phone stays off the admin: the handling staff read it on the demand's page.
    exclude = ["contact_phone", "photo", "resolution_photo"]
    raw_id_fields = ["resident", "raised_by", "community", "grid", "category"]
    inlines = [TransitionInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Demand._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
