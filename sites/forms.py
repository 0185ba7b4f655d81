"""The opening-hours editor for the admin: a row per weekday with "休息" and its time spans, no JSON.

`OpeningHoursField` cleans to exactly what `Site.opening_hours` and `VenueRules.opening_hours` store
(sites/opening_hours.py): {"mon": [["08:30", "11:30"], ["13:30", "17:30"]], …, "sun": []}, every weekday
present. Between the browser and that JSON, what the staff typed travels as an `HoursInput` of strings as
typed, so a form that fails shows their own input again, not the last saved hours.
"""

import dataclasses
import datetime as dt
import json
import re

from django import forms
from django.core.exceptions import ValidationError

from .opening_hours import WEEKDAY_LABELS, WEEKDAYS, spans_problem, validate_opening_hours

SPAN_SLOTS = 2  # span inputs shown per day: a whole day, or morning and afternoon around a lunch break
SPAN_NUMBERS = "一二三四五六七八九十"

# "09:00", "9:00", "9：00" (a Chinese keyboard's colon), "9.00", or digits alone as typed on a phone's number
# pad: "0900", "900", "9". Seconds, as some browsers add them, are dropped.
_TIME = re.compile(r"^(\d{1,2})(?:[:：.．](\d{2})(?:[:：]\d{2})?|(\d{2}))?$")


def parse_time(text):
    """What staff type for a time of day → "HH:MM"; None if it is not one."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or match[3] or 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


@dataclasses.dataclass
class DayInput:
    """One weekday's row as typed: the 休息 box and (start, end) strings, blanks included."""

    day: str
    closed: bool = False
    spans: list = dataclasses.field(default_factory=list)

    @property
    def label(self):
        return WEEKDAY_LABELS[self.day]

    @property
    def is_blank(self):
        return not self.closed and not any(start.strip() or end.strip() for start, end in self.spans)

    def cleaned(self):
        """[["08:30", "11:30"], …] for this day, or ValidationError naming the day and what to fix."""
        if self.closed:
            return []
        spans = []
        for number, (start_text, end_text) in zip(SPAN_NUMBERS, self.spans, strict=False):
            if not start_text.strip() and not end_text.strip():
                continue  # an unused slot: the second span of a day without a lunch break
            span = []
            for text, which in ((start_text, "开始"), (end_text, "结束")):
                if not text.strip():
                    raise self.error(f"时段{number}缺少{which}时间", "missing_time")
                value = parse_time(text)
                if value is None:
                    raise self.error(
                        f"时段{number}的{which}时间“{text.strip()}”格式不对，应为 HH:MM，如 09:00", "bad_time"
                    )
                span.append(value)
            spans.append(span)
        if not spans:
            raise self.error("请填写开放时间，或勾选“休息”", "no_spans")
        problem = spans_problem([tuple(map(dt.time.fromisoformat, span)) for span in spans])
        if problem:
            raise self.error(problem, "bad_spans")
        return spans

    def error(self, message, code):
        return ValidationError(f"{self.label}：{message}。", code=code)

    def problem(self):
        try:
            self.cleaned()
        except ValidationError as error:
            return error
        return None


@dataclasses.dataclass
class HoursInput:
    """A week of `DayInput`s, and whether the hours are left to someone else's (a room's to its site's)."""

    days: list
    inherit: bool = False

    @classmethod
    def from_json(cls, value):
        """The stored JSON (or None) as rows to show; anything malformed shows as blank rows."""
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip() else None
            except ValueError:
                value = None
        if not isinstance(value, dict):
            return cls(days=[DayInput(day) for day in WEEKDAYS], inherit=value is None)
        days = []
        for day in WEEKDAYS:
            spans = [
                (str(span[0]), str(span[1]))
                for span in value.get(day) or []
                if isinstance(span, list | tuple) and len(span) == 2
            ]
            days.append(DayInput(day, closed=not spans, spans=spans))
        return cls(days=days)

    @property
    def is_blank(self):
        return all(day.is_blank for day in self.days)

    def cleaned(self):
        """The JSON to store, or one ValidationError listing every day that needs fixing."""
        hours, errors = {}, []
        for day in self.days:
            try:
                hours[day.day] = day.cleaned()
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return hours


class OpeningHoursWidget(forms.Widget):
    """Seven rows: the weekday, a 休息 box and start/end time inputs, SPAN_SLOTS spans or as many as stored.

    With `inherit_label` set, a box above the rows stands for "no hours of its own" (the field is None);
    while it is ticked the rows are hidden by CSS alone (:has), so no script is needed.
    """

    template_name = "widgets/opening_hours.html"
    use_fieldset = True  # many inputs under one label: outside the admin, Django renders a <legend>
    inherit_label = None

    class Media:
        css = {"all": ["css/admin/opening_hours.css"]}

    def format_value(self, value):
        return value if isinstance(value, HoursInput) else HoursInput.from_json(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        hours = context["widget"]["value"]
        # Input sent back by a failed form: mark the rows to fix (stored hours are valid by construction).
        check_rows = (
            isinstance(value, HoursInput)
            and not hours.is_blank
            and not (hours.inherit and self.inherit_label)
        )
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        if self.inherit_label:
            context["widget"]["inherit"] = {
                "name": f"{name}_inherit",
                "id": f"{base_id}_inherit",
                "label": self.inherit_label,
                "checked": hours.inherit,
            }
        rows = []
        for day in hours.days:
            spans = list(day.spans) + [("", "")] * (SPAN_SLOTS - len(day.spans))
            rows.append(
                {
                    "label": day.label,
                    "closed": {"name": f"{name}_{day.day}_closed", "id": f"{base_id}_{day.day}_closed"},
                    "is_closed": day.closed,
                    "invalid": check_rows and day.problem() is not None,
                    "spans": [
                        {
                            "number": number,
                            "start": {"name": f"{name}_{day.day}_{i}_start", "value": start},
                            "end": {"name": f"{name}_{day.day}_{i}_end", "value": end},
                        }
                        for i, (number, (start, end)) in enumerate(zip(SPAN_NUMBERS, spans, strict=False))
                    ],
                }
            )
        context["widget"]["rows"] = rows
        return context

    def value_from_datadict(self, data, files, name):
        def ticked(key):
            return forms.CheckboxInput().value_from_datadict(data, files, key)

        days = []
        for day in WEEKDAYS:
            spans, i = [], 0
            while f"{name}_{day}_{i}_start" in data or f"{name}_{day}_{i}_end" in data:
                spans.append((data.get(f"{name}_{day}_{i}_start", ""), data.get(f"{name}_{day}_{i}_end", "")))
                i += 1
            days.append(DayInput(day, closed=ticked(f"{name}_{day}_closed"), spans=spans))
        return HoursInput(days=days, inherit=ticked(f"{name}_inherit"))

    def value_omitted_from_data(self, data, files, name):
        # The time inputs are always submitted (empty or not), so their absence means the form had no rows.
        return not any(f"{name}_{day}_0_start" in data for day in WEEKDAYS)

    def id_for_label(self, id_):
        # Many inputs and no single one the field's label names; each input carries its own aria-label.
        return ""


class OpeningHoursField(forms.Field):
    """Cleans the rows to the stored JSON; empty (None) when left blank or, with `inherit_label`, inherited.

    Required (a site's own hours): every day needs spans or 休息. Not required (a room's rules): blank rows
    or the inherit box mean None, "按所属阵地的开放时间".
    """

    widget = OpeningHoursWidget
    default_validators = [validate_opening_hours]  # the model's own rule, a safety net behind the rows'
    default_error_messages = {"required": "请填写每天的开放时间；不开放的日子勾选“休息”。"}

    def __init__(self, *, inherit_label=None, **kwargs):
        super().__init__(**kwargs)
        self.widget.inherit_label = inherit_label

    def to_python(self, value):
        hours = value if isinstance(value, HoursInput) else HoursInput.from_json(value)
        if (hours.inherit and self.widget.inherit_label) or hours.is_blank:
            return None
        return hours.cleaned()

    def has_changed(self, initial, data):
        try:
            new = self.to_python(data)
        except ValidationError:
            return True
        old = HoursInput.from_json(initial)
        return new != (None if old.inherit else {day.day: [list(s) for s in day.spans] for day in old.days})
