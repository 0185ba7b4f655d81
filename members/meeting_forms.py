"""Forms of the 组织生活 pages: parse and present only; members/meetings.py decides and writes."""

import datetime as dt

from django import forms
from django.utils import timezone

from .models import AttachmentKind, AttendanceStatus, MeetingKind, Organization
from .models.meetings import MAX_ATTACHMENT_BYTES
from .models.points import DATE_VALIDATORS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


class MeetingForm(forms.Form):
    """What every meeting has: kind, time, place (a room or another place), topic, who presided."""

    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    date = forms.DateField(label="日期", widget=DATE, validators=DATE_VALIDATORS)
    start_time = forms.TimeField(label="开始", widget=TIME, initial=dt.time(14, 0))
    end_time = forms.TimeField(label="结束", widget=TIME, initial=dt.time(15, 30))
    venue = forms.ModelChoiceField(
        label="活动室", queryset=None, required=False, empty_label="不在阵地活动室"
    )
    place = forms.CharField(label="其他地点", max_length=100, required=False)
    topic = forms.CharField(label="主题", max_length=150)
    presided_by = forms.CharField(label="主持人/授课人", max_length=50, required=False)
    given_by = forms.ModelChoiceField(
        label="授课单位", queryset=None, required=False, empty_label="本组织",
        help_text="党课由共驻共建单位讲授时选择。",
    )  # fmt: skip

    def __init__(self, *args, organization, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        # Co-building units paired with the organisation's street give 党课 at its communities.
        street = (
            organization.area.parent_id if organization.area.level == "community" else organization.area_id
        )
        self.fields["given_by"].queryset = Organization.objects.cobuilding().filter(paired_street=street)
        self.fields["given_by"].queryset = self.fields["given_by"].queryset.order_by("name")

    def clean(self):
        data = super().clean()
        start_time, end_time, date = data.get("start_time"), data.get("end_time"), data.get("date")
        if start_time and end_time and end_time <= start_time:
            self.add_error("end_time", "结束时间须晚于开始时间。")
        if date and start_time:
            data["start"] = timezone.make_aware(dt.datetime.combine(date, start_time))
        if date and end_time:
            data["end"] = timezone.make_aware(dt.datetime.combine(date, end_time))
        return data

    def meeting_values(self):
        data = self.cleaned_data
        values = {name: data[name] for name in ("kind", "start", "end", "venue", "topic", "given_by")}
        values.update({name: data[name] or "" for name in ("place", "presided_by")})
        return values


class MeetingPlanForm(MeetingForm):
    """A meeting ahead; in a room, the room is booked with it (the booking's contact phone)."""

    contact_phone = forms.CharField(
        label="联系电话", max_length=20, required=False, help_text="预约活动室时填写；留空为账号手机号。"
    )

    def plan_values(self):
        return {**self.meeting_values(), "contact_phone": self.cleaned_data["contact_phone"]}


class MeetingRecordForm(MeetingForm):
    """A meeting that took place, with one 出席/请假/缺席 choice (and a reason) per member of the roster."""

    minutes = forms.CharField(label="会议记录", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    attachment_kind = forms.ChoiceField(label="附件类型", choices=AttachmentKind.choices, required=False)
    attachment = forms.FileField(
        label="附件",
        required=False,
        help_text=f"签到表、会议记录或照片：PDF、JPG、PNG，不超过 {MAX_ATTACHMENT_BYTES // 2**20} MB。",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"att-{member.pk}"] = forms.ChoiceField(
                label=member.name, choices=AttendanceStatus.choices, initial=AttendanceStatus.PRESENT,
                widget=forms.RadioSelect,
            )  # fmt: skip
            self.fields[f"reason-{member.pk}"] = forms.CharField(
                label=f"{member.name}请假原因", max_length=100, required=False,
                widget=forms.TextInput(attrs={"placeholder": "请假原因"}),
            )  # fmt: skip

    def attendance_rows(self):
        """(member, status field, reason field) for the template's attendance list."""
        return [(m, self[f"att-{m.pk}"], self[f"reason-{m.pk}"]) for m in self.members]

    def plain_fields(self):
        return [self[name] for name in self.fields if not name.startswith(("att-", "reason-"))]

    def clean(self):
        data = super().clean()
        if data.get("attachment") and not data.get("attachment_kind"):
            self.add_error("attachment_kind", "请选择附件类型。")
        for member in self.members:
            if (
                data.get(f"att-{member.pk}") == AttendanceStatus.EXCUSED
                and not data.get(f"reason-{member.pk}", "").strip()
            ):
                self.add_error(f"reason-{member.pk}", f"{member.name}请假须填写原因。")
        return data

    def record_values(self):
        """Keyword arguments for meetings.record_meeting."""
        data = self.cleaned_data
        values = {**self.meeting_values(), "minutes": data["minutes"] or ""}
        values["attendance"] = {
            m.pk: (data[f"att-{m.pk}"], data.get(f"reason-{m.pk}", "")) for m in self.members
        }
        if data.get("attachment"):
            values["attachments"] = [(data["attachment_kind"], data["attachment"])]
        return values


class AmendmentForm(forms.Form):
    topic = forms.CharField(label="主题", max_length=150)
    presided_by = forms.CharField(label="主持人/授课人", max_length=50, required=False)
    minutes = forms.CharField(label="会议记录", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    reason = forms.CharField(
        label="更正原因",
        max_length=200,
        help_text="会议已超过 30 天，更正会连同原因留档。",
        error_messages={"required": "请填写更正原因。"},
    )


class YearForm(forms.Form):
    year = forms.IntegerField(
        label="年度", required=False, min_value=2000, max_value=2100,
        error_messages={"invalid": "年度应填数字，如 2025。", "min_value": "年度应在 2000 到 2100 之间。",
                        "max_value": "年度应在 2000 到 2100 之间。"},
    )  # fmt: skip

    def chosen_year(self):
        return (self.cleaned_data.get("year") if self.is_bound else None) or timezone.localdate().year
