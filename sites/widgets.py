"""The admin's map picker for a site's location: our own small widget, because django-leaflet's form
widget needs GDAL and we store plain latitude/longitude numbers.

It renders only the map; the latitude and longitude stay the form's own number inputs, which the script
(static/js/admin/location_picker.js) reads and writes: click or drag sets them, typing moves the marker.
The numbers are WGS-84 whatever the tiles; on GCJ-02 tiles the script converts both ways.
"""

import json

from django import forms
from django.conf import settings


class LocationPicker(forms.Widget):
    template_name = "widgets/location_picker.html"

    def __init__(self, *, lat_field="latitude", lng_field="longitude", attrs=None):
        self.lat_field, self.lng_field = lat_field, lng_field
        super().__init__(attrs)

    @property
    def media(self):
        return forms.Media(
            css={"all": ["leaflet/leaflet.css", "css/admin/location_picker.css"]},
            # A module, so it can import the shared datum conversion (static/js/gcj02.js).
            js=["leaflet/leaflet.js", forms.Script("js/admin/location_picker.js", type="module")],
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The number inputs' ids share this widget's prefix (id_ or id_form-0-), so derive them from it.
        own_id = context["widget"]["attrs"].get("id", f"id_{name}")
        prefix = own_id[: -len(name)] if own_id.endswith(name) else "id_"
        config = settings.LEAFLET_CONFIG
        context["widget"]["picker"] = {
            "lat_input": prefix + self.lat_field,
            "lng_input": prefix + self.lng_field,
            "config": json.dumps(
                {
                    "center": list(config["DEFAULT_CENTER"]),
                    "zoom": config["DEFAULT_ZOOM"],
                    "maxZoom": config["MAX_ZOOM"],
                    "tiles": [[name, url, options] for name, url, options in config["TILES"]],
                    # GCJ-02 tiles (高德): the script shifts the marker onto them and picked points back.
                    "gcj02": settings.MAP_TILES_GCJ02,
                },
                ensure_ascii=False,
            ),
        }
        return context

    def value_from_datadict(self, data, files, name):
        return None  # the map itself submits nothing: the two number inputs carry the location


class LocationField(forms.Field):
    """A form field that only shows the map; it never validates or saves anything itself."""

    widget = LocationPicker

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "在地图上选点")
        kwargs.setdefault("help_text", "点击地图或拖动标记可设置上方的纬度、经度；修改数字时标记随之移动。")
        super().__init__(**kwargs)


def coordinate_field(label, limit):
    """A latitude (limit 90) or longitude (180) typed as a number, for a form beside a LocationField."""
    return forms.DecimalField(
        label=label, max_digits=9, decimal_places=6, min_value=-limit, max_value=limit, required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip


class BothCoordinatesOrNone:
    """A form mixin: latitude and longitude come together, or neither (then the area's centre is used)."""

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not self.errors:
            raise forms.ValidationError("纬度和经度请都填或都不填。")
        return data
