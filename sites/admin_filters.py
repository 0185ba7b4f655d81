"""What every area-scoped changelist shares: "所在区 / 所在镇街道" filters and the area shown with its parent.

The filters offer only the districts and towns the staff member may see, and narrow the list with the
model's own `within(area)` (one indexed path-prefix condition), so they work for any AreaScopedQuerySet.
"""

from django.contrib import admin

from .admin_lookups import ExplainedLookupError
from .ids import parse_id
from .models import Area, AreaLevel


class AreaLevelFilter(admin.SimpleListFilter):
    level = None
    # The filter of the level above, whose choice narrows this one's list (a town list within a district).
    narrowed_by = None

    def lookups(self, request, model_admin):
        areas = Area.objects.visible_to(request.user).filter(level=self.level)
        above = parse_id(request.GET.get(self.narrowed_by.parameter_name, "")) if self.narrowed_by else None
        if above:
            areas = areas.filter(parent_id=above)
        return [(str(pk), name) for pk, name in areas.order_by("path").values_list("pk", "name")]

    def has_output(self):
        # Shown (so applied) whenever a value is given: a bad or foreign value is reported, not ignored.
        return super().has_output() or self.value() is not None

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        pk = parse_id(value)
        area = pk and Area.objects.visible_to(request.user).filter(pk=pk, level=self.level).first()
        if not area:
            # Reported (a 400 naming it, sites.admin_lookups) rather than a silently wrong list.
            raise ExplainedLookupError(f"{self.title}“{value}”不存在或不在您的管辖范围内。")
        return queryset.within(area)


class DistrictFilter(AreaLevelFilter):
    title = "所在区/县级市"
    parameter_name = "district"
    level = AreaLevel.DISTRICT


class TownFilter(AreaLevelFilter):
    title = "所在镇/街道"
    parameter_name = "town"
    level = AreaLevel.TOWN
    narrowed_by = DistrictFilter


def area_with_parent(area):
    """ "道前社区 · 沧浪街道": enough to tell apart the many 第一网格 and 新村 of a city.

    Lists using it select_related the area and its parent, so it costs no query per row.
    """
    if area is None:
        return "—"
    if area.parent_id is None:
        return area.name
    return f"{area.name} · {area.parent.name}"
