"""Residents in the admin: scoped to the staff member's area, read-only (residents register and edit
themselves), the phone masked unless the viewer handles one of the resident's demands (the staff of a
community the resident raised a demand in, as on the demand's page) or is a superuser."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Value

from members.models import mask_phone
from sites.admin_paging import CappedCountPaginator
from sites.admin_scoping import ReadOnlyAdmin

from .demand_models import Demand
from .resident_models import Resident


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "grid", "phone", "registered_at"]
    list_select_related = ["community", "grid", "user"]
    search_fields = ["name"]  # not the phone: a match would reveal a masked number
    ordering = ["-registered_at", "-pk"]
    paginator = CappedCountPaginator
    fields = ["name", "community", "grid", "phone", "registered_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Whether this viewer reads each resident's phone in full, worked out in the list's one query.
        if request.user.is_superuser:
            readable = Value(True)
        else:
            readable = Exists(
                Demand.objects.filter(resident=OuterRef("pk"), community_id=request.user.area_id or 0)
            )
        return super().get_queryset(request).annotate(phone_readable=readable)

    @admin.display(description="手机号")
    def phone(self, resident):
        return resident.user.phone if resident.phone_readable else mask_phone(resident.user.phone)
