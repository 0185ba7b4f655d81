"""The public board's filters (district, street, community, category, kind), shared by the board page,
the needs API and the map's GeoJSON, so the three can never disagree. Unknown or bad parameters are
errors naming the parameter (sites.filters.StrictFilterSet)."""

import django_filters as filters

from sites.filters import StrictFilterSet
from sites.models import Area, AreaLevel

from .list_models import Need, ServiceCategory, ServiceKind


def _area(level, param):
    label = AreaLevel(level).label
    return filters.ModelChoiceFilter(
        label=label,
        queryset=Area.objects.filter(level=level),
        field_name="community",  # documents the parameter as an area id in the OpenAPI schema
        method="within",
        empty_label="全部",
        error_messages={"invalid_choice": f"{param} 参数应为{label}的编号；“%(value)s”不是有效的{label}。"},
    )


class NeedFilter(StrictFilterSet):
    district = _area(AreaLevel.DISTRICT, "district")
    street = _area(AreaLevel.TOWN, "street")
    community = _area(AreaLevel.COMMUNITY, "community")
    category = filters.ChoiceFilter(
        label="项目类别",
        choices=ServiceCategory.choices,
        empty_label="全部",
        error_messages={
            "invalid_choice": "category 参数应为 party_building、public_service 或 self_governance。"
        },
    )
    kind = filters.ChoiceFilter(
        label="需求类型",
        choices=ServiceKind.choices,
        empty_label="全部",
        error_messages={"invalid_choice": "kind 参数不是有效的需求类型。"},
    )

    class Meta:
        model = Need
        fields = ["district", "street", "community", "category", "kind"]

    def within(self, queryset, name, area):
        # One indexed prefix match on the community's path, whatever the level chosen.
        return queryset.filter(community__path__startswith=area.path) if area else queryset
