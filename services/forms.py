"""Forms of the booking pages: they parse and keep what the organiser typed; the rules are in booking.py."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from members.models import Organization, phone_validator
from sites.models import Area
from sites.opening_hours import WEEKDAY_LABELS, WEEKDAYS

from .dates import check_in_range
from .models import Frequency, Purpose
from .recurrence import MAX_OCCURRENCES, WEEK_OF_MONTH_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")
WEEKDAY_CHOICES = [(i, WEEKDAY_LABELS[d]) for i, d in enumerate(WEEKDAYS)]


def aware(date, time):
    return timezone.make_aware(dt.datetime.combine(date, time))


def slot_query(start, end):
    """The query string that opens the booking form with the span `start`–`end` filled in (local time)."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    return urlencode({"start": f"{start:%Y-%m-%dT%H:%M}", "end": f"{end:%Y-%m-%dT%H:%M}"})


def with_slot(data):
    """A copy of posted `data` with date and times taken from its `slot` ("start/end", ISO local times),
    or None when the slot is malformed. The conflict page's offers post the typed form with one."""
    try:
        start, end = (dt.datetime.fromisoformat(part) for part in data["slot"].split("/"))
    except ValueError:
        return None
    data = data.copy()  # QueryDict.update() would append; item assignment replaces
    data["date"], data["start_time"], data["end_time"] = f"{start:%Y-%m-%d}", f"{start:%H:%M}", f"{end:%H:%M}"
    return data


class LabelsAboveForm(forms.Form):
    """Labels sit above their fields in our forms: no ":" after them (Django's default suffix)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SpanForm(LabelsAboveForm):
    """A date and two times on it: what both the booking form and the search ask for."""

    date = forms.DateField(
        label="日期",
        widget=DATE,
        validators=[check_in_range],
        error_messages={"invalid": "日期格式应为 年-月-日。"},
    )
    start_time = forms.TimeField(
        label="开始时间", widget=TIME, error_messages={"invalid": "时间格式应为 时:分。"}
    )
    end_time = forms.TimeField(
        label="结束时间", widget=TIME, error_messages={"invalid": "时间格式应为 时:分。"}
    )

    def clean(self):
        data = super().clean()
        if all(data.get(k) for k in ("date", "start_time", "end_time")):
            if data["start_time"] >= data["end_time"]:
                self.add_error("end_time", "结束时间须晚于开始时间。")
            else:
                data["start"] = aware(data["date"], data["start_time"])
                data["end"] = aware(data["date"], data["end_time"])
        return data


class BookingForm(SpanForm):
    title = forms.CharField(label="活动名称", max_length=100)
    purpose = forms.ChoiceField(label="活动类型", choices=Purpose.choices)
    organization = forms.ModelChoiceField(
        label="党组织/单位",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（不属于党组织）",
    )
    group_name = forms.CharField(
        label="团体名称", max_length=100, required=False, help_text="不属于党组织时填写"
    )
    attendees = forms.IntegerField(label="预计人数", min_value=1)
    contact_phone = forms.CharField(label="联系电话", max_length=20, validators=[phone_validator])
    repeat = forms.ChoiceField(
        label="重复",
        choices=[("", "不重复"), *Frequency.choices],
        required=False,
        widget=forms.RadioSelect(attrs={"class": "inline-choices"}),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="星期",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}),
    )
    week_of_month = forms.TypedChoiceField(
        label="每月第几个", choices=list(WEEK_OF_MONTH_LABELS.items()), coerce=int, required=False
    )
    until = forms.DateField(
        label="重复截止日期",
        widget=DATE,
        required=False,
        validators=[check_in_range],
        error_messages={"invalid": "日期格式应为 年-月-日。"},
    )
    count = forms.IntegerField(label="或重复次数", min_value=1, max_value=MAX_OCCURRENCES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(pk=user.organization_id)

    def clean(self):
        data = super().clean()
        if data.get("repeat"):
            if not data.get("until") and not data.get("count"):
                self.add_error("until", "请填写重复截止日期或重复次数。")
            elif data.get("until") and data.get("date") and data["until"] < data["date"]:
                self.add_error("until", "重复截止日期不能早于首次日期。")
            if not data.get("weekdays") and data.get("date"):
                data["weekdays"] = [data["date"].weekday()]
            if data["repeat"] == Frequency.MONTHLY:
                if data.get("week_of_month") in (None, ""):
                    self.add_error("week_of_month", "请选择每月第几个星期几。")
                elif len(data["weekdays"]) != 1:
                    self.add_error("weekdays", "每月重复只能选一个星期几。")
        return data

    def booking_details(self):
        data = self.cleaned_data
        return {
            key: data[key]
            for key in ("title", "purpose", "attendees", "contact_phone", "organization", "group_name")
        }

    def series_rule(self):
        data = self.cleaned_data
        return {
            "frequency": data["repeat"],
            "weekdays": data["weekdays"],
            "week_of_month": data.get("week_of_month") if data["repeat"] == Frequency.MONTHLY else None,
            "until": data.get("until"),
            "count": data.get("count"),
        }

    @staticmethod
    def initial_from(booking, date):
        """What "book again" fills in: the earlier booking's details on `date`."""
        local_start, local_end = timezone.localtime(booking.start), timezone.localtime(booking.end)
        return {
            "date": date,
            "start_time": local_start.time(),
            "end_time": local_end.time(),
            "title": booking.title,
            "purpose": booking.purpose,
            "organization": booking.organization_id,
            "group_name": booking.group_name,
            "attendees": booking.attendees,
            "contact_phone": booking.contact_phone,
        }


class FreeRoomSearchForm(SpanForm):
    attendees = forms.IntegerField(label="人数", min_value=1, initial=10)
    lat = forms.DecimalField(
        label="纬度", min_value=-90, max_value=90, required=False, widget=forms.HiddenInput
    )
    lng = forms.DecimalField(
        label="经度", min_value=-180, max_value=180, required=False, widget=forms.HiddenInput
    )
    radius = forms.IntegerField(
        label="范围（米）",
        min_value=100,
        max_value=5000,
        initial=1000,
        required=False,
        help_text="按“我的位置”查找时适用",
    )
    area = forms.ModelChoiceField(
        label="或在此区域内",
        queryset=Area.objects.filter(level__in=["district", "town"]),
        required=False,
        empty_label="（按我的位置）",
    )

    def clean(self):
        data = super().clean()
        has_point = data.get("lat") is not None and data.get("lng") is not None
        if not has_point and not data.get("area"):
            raise forms.ValidationError("请点击“使用我的位置”，或选择一个区域。")
        return data


class RejectForm(LabelsAboveForm):
    reason = forms.CharField(label="驳回原因", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class LiftHoldForm(LabelsAboveForm):
    reason = forms.CharField(label="解除原因", max_length=200)


class CancelForm(forms.Form):
    and_later = forms.BooleanField(required=False)
