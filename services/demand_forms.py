"""Forms of the demand pages: they parse; services/demands.py and services/supervision.py decide and write."""

from django import forms

from members.models import Member, Organization, phone_validator
from members.models.points import validate_service_photo
from sites.ids import ModelIdChoiceField
from sites.models import Area, AreaLevel
from sites.widgets import BothCoordinatesOrNone, LocationField, coordinate_field

from .demand_models import Channel, DemandCategory, Rating
from .list_models import ServiceKind


class DemandForm(BothCoordinatesOrNone, forms.Form):
    """我要反映, phone-first: what, where (the map, or the numbers; empty means the grid's or community's
    centre), a photo."""

    category = ModelIdChoiceField(
        label="类别", queryset=DemandCategory.objects.filter(active=True), empty_label="请选择类别",
        error_messages={"required": "请选择诉求类别。"},
    )  # fmt: skip
    title = forms.CharField(
        label="一句话说明", max_length=100, error_messages={"required": "请用一句话说明问题。"}
    )
    description = forms.CharField(
        label="具体情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请写明具体情况。"},
    )  # fmt: skip
    latitude = coordinate_field("纬度", 90)
    longitude = coordinate_field("经度", 180)
    location = LocationField(
        help_text="点地图或拖动标记选位置；看不到地图也可直接填纬度、经度，都不填则按所在网格（社区）中心。"
    )
    address = forms.CharField(
        label="位置说明", max_length=200, required=False, help_text="如：3 号楼 2 单元门口。"
    )
    photo = forms.FileField(
        label="照片", required=False, validators=[validate_service_photo],
        help_text="JPG 或 PNG，不超过 5 MB。",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )  # fmt: skip


class StaffDemandForm(DemandForm):
    """代为登记: staff raise a demand for a resident who phoned or was visited. The resident is found by
    the phone they give (their login) when registered; otherwise the name typed is the contact."""

    channel = forms.ChoiceField(
        label="反映渠道", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
        error_messages={"required": "请选择反映渠道。", "invalid_choice": "请选择反映渠道。"},
    )  # fmt: skip
    community = ModelIdChoiceField(
        label="所在社区", queryset=Area.objects.none(), empty_label="请选择社区",
        error_messages={"required": "请选择诉求所在的社区。"},
    )  # fmt: skip
    contact_phone = forms.CharField(
        label="居民手机号", max_length=20, required=False, validators=[phone_validator],
        help_text="已注册的居民按手机号自动关联（诉求进入其“我的诉求”）；可不填。",
    )  # fmt: skip
    contact_name = forms.CharField(
        label="居民姓名", max_length=50, required=False, help_text="未注册的居民必填。"
    )
    field_order = ["channel", "community", "contact_phone", "contact_name"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = (
            Area.objects.visible_to(user).filter(level=AreaLevel.COMMUNITY).order_by("path")
        )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写原因。"},
    )  # fmt: skip


class PromoteForm(ReasonForm):
    kind = forms.ChoiceField(
        label="需求类型", choices=ServiceKind.choices, initial=ServiceKind.OTHER,
        error_messages={"invalid_choice": "请选择需求类型。"},
    )  # fmt: skip


class ResolveForm(forms.Form):
    note = forms.CharField(
        label="办理结果", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写办理结果。"},
    )  # fmt: skip
    photo = forms.FileField(label="办结照片", required=False, validators=[validate_service_photo])


class EvaluateForm(forms.Form):
    rating = forms.ChoiceField(
        label="评价",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价。"},
    )
    comment = forms.CharField(
        label="评价内容", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DispatchForm(forms.Form):
    """To a member who reported to the community, or an organisation nearby (the choices are the
    demand's own, so the list stays short)."""

    member = ModelIdChoiceField(
        label="派给党员", queryset=Member.objects.none(), required=False, empty_label="—"
    )
    organization = ModelIdChoiceField(
        label="或派给组织", queryset=Organization.objects.none(), required=False, empty_label="—"
    )
    note = forms.CharField(label="说明", max_length=2000, required=False)

    def __init__(self, *args, demand, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(
            reportings__community=demand.community, reportings__until=None
        ).order_by("name")
        street = demand.community.parent
        self.fields["organization"].queryset = (
            Organization.objects.filter(area__path__startswith=street.path)
            | Organization.objects.filter(paired_street=street)
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("member")) == bool(data.get("organization")):
            raise forms.ValidationError("请选择接单的党员或组织（二选一）。")
        return data


class TransferForm(ReasonForm):
    to = ModelIdChoiceField(label="转办至", queryset=Area.objects.none(), empty_label="请选择街道或社区")

    def __init__(self, *args, demand, **kwargs):
        super().__init__(*args, **kwargs)
        street = demand.community.parent
        self.fields["to"].queryset = (
            Area.objects.filter(level__in=[AreaLevel.TOWN, AreaLevel.COMMUNITY], path__startswith=street.path)
            .exclude(pk=demand.community_id)
            .order_by("path")
        )


class FiguresForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100, required=False)
    area = forms.CharField(required=False)
