"""Opening hours per weekday, stored as JSON: {"mon": [["09:00", "17:00"]], …, "sun": []}.

A list per day allows a lunch break ([["08:30", "11:30"], ["13:30", "17:30"]]); an empty list is closed.
"""

import datetime as dt

from django.core.exceptions import ValidationError

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAY_LABELS = dict(zip(WEEKDAYS, ["周一", "周二", "周三", "周四", "周五", "周六", "周日"], strict=True))


def _parse_time(text):
    try:
        return dt.time.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def validate_opening_hours(value):
    if not isinstance(value, dict):
        raise ValidationError('开放时间应按星期填写，如 {"mon": [["09:00", "17:00"]]}。')
    unknown = set(value) - set(WEEKDAYS)
    if unknown:
        raise ValidationError(f"无法识别的星期：{'、'.join(sorted(unknown))}；请使用 mon…sun。")
    for day, spans in value.items():
        label = WEEKDAY_LABELS[day]
        if not isinstance(spans, list):
            raise ValidationError(f"{label}的开放时间应为时段列表。")
        for span in spans:
            if not (isinstance(span, list | tuple) and len(span) == 2):
                raise ValidationError(f'{label}的时段应写成 ["开始", "结束"]。')
            start, end = (_parse_time(t) for t in span)
            if start is None or end is None:
                raise ValidationError(f"{label}的时间“{span[0]}–{span[1]}”格式不对，应为 HH:MM。")
            if start >= end:
                raise ValidationError(f"{label}的时段 {span[0]}–{span[1]} 结束时间须晚于开始时间。")


class OpeningHours:
    """Read access to a site's (or room's) weekly opening hours."""

    def __init__(self, data):
        self.data = data or {}

    @staticmethod
    def default_json():
        weekday = [["09:00", "17:00"]]
        return {day: (weekday if day not in ("sat", "sun") else [["09:00", "12:00"]]) for day in WEEKDAYS}

    def spans_on(self, date):
        """The (start, end) times the place is open on `date`."""
        return [
            (dt.time.fromisoformat(a), dt.time.fromisoformat(b))
            for a, b in self.data.get(WEEKDAYS[date.weekday()], [])
        ]

    def label_on(self, date):
        spans = self.data.get(WEEKDAYS[date.weekday()], [])
        return "、".join(f"{a}–{b}" for a, b in spans) if spans else "不开放"

    def weekly(self):
        """[(周一, "09:00–17:00"), …] for display."""
        return [
            (WEEKDAY_LABELS[day], "、".join(f"{a}–{b}" for a, b in self.data.get(day, [])) or "不开放")
            for day in WEEKDAYS
        ]
