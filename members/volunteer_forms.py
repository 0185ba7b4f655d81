"""Forms of the volunteers' pages: they parse; members/registration.py, service_records.py and
rewards.py decide and write."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from sites.ids import ModelIdChoiceField
from sites.models import Area, AreaLevel

from .models import ServiceRecord
from .models.points import MAX_SERVICE_PHOTOS
from .rewards import WITHIN_CHOICES


class RegistrationForm(forms.Form):
    phone = forms.CharField(
        label="手机号",
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
        error_messages={"required": "请填写手机号。"},
    )
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    name = forms.CharField(label="姓名", max_length=50, required=False)
    community = ModelIdChoiceField(
        label="服务社区",
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("path"),
        required=False,
        empty_label="请选择社区",
    )
    password = forms.CharField(
        label="设置密码", required=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    # What registering needs, with what to say when it is missing (a form for residents adds its own).
    needed = (
        ("code", "请填写短信中的 6 位验证码。"),
        ("name", "请填写姓名。"),
        ("community", "请选择服务社区。"),
        ("password", "请设置密码。"),
    )

    def clean(self):
        """Sending a code needs only the phone; registering needs every field."""
        data = super().clean()
        if self.data.get("action") == "send":
            return data
        for name, message in self.needed:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        if data.get("password"):
            try:
                validate_password(data["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files from one <input multiple> (Django's documented pattern): a list, maybe empty. The
    files' content is checked by service_records.submit_service, which names the photo at fault."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultiplePhotoField, self).clean(file, initial) for file in files]


class ServiceRecordForm(forms.ModelForm):
    photos = MultiplePhotoField(
        label="照片",
        required=False,
        # On a phone, the camera or the album; several may be picked at once.
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=f"可选多张（最多 {MAX_SERVICE_PHOTOS} 张），JPG 或 PNG，每张不超过 5 MB。",
    )

    class Meta:
        model = ServiceRecord
        fields = ["rule", "title", "place", "served_on", "units"]
        widgets = {"served_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"rule": ModelIdChoiceField}

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = rules
        self.fields["rule"].empty_label = "请选择积分标准"
        self.initial.setdefault("served_on", timezone.localdate())


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="退回原因", max_length=300, error_messages={"required": "请填写退回原因。"}
    )


class RankingForm(forms.Form):
    """?area=&year=&month= of the public ranking page."""

    area = ModelIdChoiceField(queryset=Area.objects.all(), required=False)
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(min_value=1, max_value=12, required=False)


class RewardFilterForm(forms.Form):
    """?within= of the rewards catalogue, for a signed-in volunteer: their community's or street's units."""

    within = forms.ChoiceField(
        label="范围",
        choices=WITHIN_CHOICES,
        required=False,
        error_messages={
            "invalid_choice": "范围应为 本社区（community）或 本街道（street）；“%(value)s”无法识别。"
        },
    )
