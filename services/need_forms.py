"""The page form community staff record and edit a need with: it parses; services/needs.py decides and
writes (the same rules as the admin and the API)."""

from django import forms

from members.models.points import DATE_VALIDATORS
from members.volunteer_forms import MultiplePhotoField, MultiplePhotoInput
from sites.ids import ModelIdChoiceField
from sites.models import Area, AreaLevel
from sites.widgets import BothCoordinatesOrNone, LocationField, coordinate_field

from .list_models import MAX_NEED_PHOTOS, MAX_QUANTITY, ServiceCategory, ServiceKind, Urgency


class NeedForm(BothCoordinatesOrNone, forms.Form):
    community = ModelIdChoiceField(
        label="社区", queryset=Area.objects.none(), empty_label="请选择社区",
        error_messages={"required": "请选择提出需求的社区。"},
    )  # fmt: skip
    grid = ModelIdChoiceField(
        label="网格", queryset=Area.objects.none(), required=False, empty_label="（不指定）"
    )
    title = forms.CharField(label="需求名称", max_length=100, error_messages={"required": "请填写需求名称。"})
    description = forms.CharField(
        label="需求描述", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ChoiceField(label="项目类别", choices=ServiceCategory.choices)
    kind = forms.ChoiceField(label="需求类型", choices=ServiceKind.choices)
    quantity = forms.IntegerField(
        label="需求数量", min_value=1, max_value=MAX_QUANTITY, initial=1,
        error_messages={"required": "请填写需求数量（如 3 次、50 人次、1 项）。"},
    )  # fmt: skip
    unit = forms.CharField(label="计量单位", max_length=10, initial="项", help_text="如：次、人次、项。")
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    wanted_by = forms.DateField(
        label="期望完成日期", required=False, validators=DATE_VALIDATORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    address = forms.CharField(label="地点", max_length=150, required=False)
    latitude = coordinate_field("纬度", 90)
    longitude = coordinate_field("经度", 180)
    location = LocationField(
        help_text="点地图或拖动标记选位置；看不到地图也可直接填纬度、经度，都不填则按社区中心。"
    )
    photos = MultiplePhotoField(
        label="照片",
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=f"公开显示在需求清单上，请勿拍到居民的面孔、门牌或证件。可选多张（每项需求最多 "
        f"{MAX_NEED_PHOTOS} 张），JPG 或 PNG，每张不超过 5 MB。",
    )

    def __init__(self, *args, user, need=None, **kwargs):
        super().__init__(*args, **kwargs)
        mine = Area.objects.visible_to(user)
        if need is None:
            self.fields["community"].queryset = mine.filter(level=AreaLevel.COMMUNITY).order_by("path")
            grids = mine.filter(level=AreaLevel.GRID)
        else:
            del self.fields["community"]  # a need stays with the community that raised it
            grids = Area.objects.filter(parent=need.community_id, level=AreaLevel.GRID)
        self.fields["grid"].queryset = grids.order_by("path")
