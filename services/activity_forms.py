"""The page form that publishes an activity: it parses and keeps what the organiser typed; the rules
(who may publish, the room's booking, the points rule on the day) are in activities.publish_activity."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from members.models import Organization, PointRule, phone_validator
from sites.models import Venue

from .activity_models import ActivityKind, Eligibility
from .forms import SpanForm

MAX_CAPACITY = 100_000  # the API's bound too: beyond it a typo, not an activity


class ActivityForm(SpanForm):
    venue = forms.ModelChoiceField(
        label="地点",
        queryset=Venue.objects.none(),
        required=False,
        empty_label="户外（不使用活动室）",
        help_text="选活动室即同时预约该活动室；户外活动只能由阵地所在区域的工作人员发布。",
    )
    title = forms.CharField(label="活动名称", max_length=100)
    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices)
    description = forms.CharField(
        label="活动介绍", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    capacity = forms.IntegerField(
        label="名额",
        min_value=1,
        max_value=MAX_CAPACITY,
        error_messages={"min_value": "名额至少为 1。", "max_value": f"名额不能超过 {MAX_CAPACITY}。"},
    )
    eligibility = forms.ChoiceField(
        label="报名范围",
        choices=Eligibility.choices,
        initial=Eligibility.ANYONE,
        widget=forms.RadioSelect(attrs={"class": "inline-choices"}),
    )
    organization = forms.ModelChoiceField(
        label="限定党组织",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（不限定）",
        help_text="报名范围为“指定党组织的党员”时选择。",
    )
    contact_phone = forms.CharField(label="联系电话", max_length=20, validators=[phone_validator])
    point_rule = forms.ModelChoiceField(
        label="积分标准",
        queryset=PointRule.objects.none(),
        required=False,
        empty_label="不记积分",
        help_text="确认出勤后，签到的志愿者按此标准获得积分。",
    )
    cover = forms.FileField(label="封面图片", required=False, help_text="JPG 或 PNG，不超过 5 MB。")

    def __init__(self, *args, site, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.fields["venue"].queryset = Venue.objects.bookable().filter(site=site).order_by("name")
        self.fields["venue"].label_from_instance = lambda room: f"{room.name}（容纳 {room.capacity} 人）"
        # The organiser's own organisation and those of the site's area: a short list, not the city's 35,000.
        self.fields["organization"].queryset = Organization.objects.filter(
            Q(pk=user.organization_id) | Q(area=site.area_id)
        ).only("pk", "name")
        # Rules in force today; publish_activity checks the one chosen against the activity's own day.
        self.fields["point_rule"].queryset = (
            PointRule.objects.applicable_to(site.area).in_force(timezone.localdate()).order_by("code")
        )

    @staticmethod
    def initial_for(user):
        """Tomorrow afternoon, two hours, 30 places: the form never opens on empty date and time boxes."""
        return {
            "date": timezone.localdate() + dt.timedelta(days=1),
            "start_time": dt.time(14),
            "end_time": dt.time(16),
            "capacity": 30,
            "contact_phone": user.phone,
            "organization": user.organization_id,
        }

    def publish_arguments(self):
        """The cleaned values as `publish_activity` takes them."""
        return {name: self.cleaned_data[name] for name in PUBLISHED_FIELDS}


PUBLISHED_FIELDS = (
    "venue", "title", "kind", "description", "start", "end", "capacity", "eligibility", "organization",
    "contact_phone", "point_rule", "cover",
)  # fmt: skip
