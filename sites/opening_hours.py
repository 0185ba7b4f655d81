"""Opening hours per weekday, stored as JSON: {"mon": [["09:00", "17:00"]], …, "sun": []}.

A list per day allows a lunch break ([["08:30", "11:30"], ["13:30", "17:30"]]); an empty list is closed.
"""

import datetime as dt
import itertools
import re

from django.core.exceptions import ValidationError

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAY_LABELS = dict(zip(WEEKDAYS, ["周一", "周二", "周三", "周四", "周五", "周六", "周日"], strict=True))


def _parse_time(text):
    try:
        return dt.time.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def spans_problem(spans):
    """What is wrong with one day's spans [(start, end)] of `datetime.time`, or None.

    Each span must end after it starts, and each must start after the one before it ends (a lunch break
    between them, never an overlap). The message leaves out the day; the caller names it.
    """
    for start, end in spans:
        if start >= end:
            return f"结束时间必须晚于开始时间（{start:%H:%M}–{end:%H:%M}）"
    for (_, first_end), (second_start, second_end) in itertools.pairwise(spans):
        if second_start < first_end:
            return (
                f"后一个时段（{second_start:%H:%M}–{second_end:%H:%M}）必须在"
                f"前一个时段结束（{first_end:%H:%M}）之后开始"
            )
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
            raise ValidationError(f"{label}：开放时间应为时段列表。")
        times = []
        for span in spans:
            if not (isinstance(span, list | tuple) and len(span) == 2):
                raise ValidationError(f'{label}：时段应写成 ["开始", "结束"]。')
            start, end = (_parse_time(t) for t in span)
            if start is None or end is None:
                raise ValidationError(f"{label}：时间“{span[0]}–{span[1]}”格式不对，应为 HH:MM。")
            times.append((start, end))
        problem = spans_problem(times)
        if problem:
            raise ValidationError(f"{label}：{problem}。")


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


DAY_WORDS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_DAY = r"(?:周|星期)[一二三四五六日天七]"
_SEGMENT = re.compile(
    rf"^(?:(?P<every>每天|每日)|(?P<first>{_DAY})(?:\s*[至到~\-－—]\s*(?P<last>{_DAY}))?"
    rf"(?P<more>(?:\s*[、,，]\s*{_DAY})*))\s*(?P<spans>.*)$"
)
_SPAN = re.compile(r"^(\d{1,2}:\d{2})\s*[-－—~至到]\s*(\d{1,2}:\d{2})$")


def parse_opening_hours_text(text):
    """ "周一至周五 09:00-17:00; 周六 09:00-12:00" → the JSON form; days not named are closed.

    Segments are separated by ";" (or "；" or a line break); each names days (每天, 周一, 周一至周五,
    周一、周三) and then one or more spans separated by "," or "、" (08:30-11:30,13:30-17:30) or 休息.
    Raises ValueError with a Chinese message saying what to fix.
    """
    hours = {day: [] for day in WEEKDAYS}
    for segment in filter(None, (s.strip() for s in re.split(r"[;；\n]", text or ""))):
        match = _SEGMENT.match(segment)
        if not match:
            raise ValueError(f"开放时间“{segment}”无法识别，应写成“周一至周五 09:00-17:00”。")
        every, spans_text = match["every"], match["spans"]
        if every:
            days = list(range(7))
        else:
            start, end = DAY_WORDS[match["first"][-1]], DAY_WORDS[(match["last"] or match["first"])[-1]]
            if end < start:
                raise ValueError(f"开放时间“{segment}”的星期范围颠倒了。")
            days = list(range(start, end + 1)) + [
                DAY_WORDS[d] for d in re.findall(r"[一二三四五六日天七]", match["more"] or "")
            ]
        spans = []
        if spans_text.strip() not in ("休息", "不开放", "闭馆"):
            for part in filter(None, (p.strip() for p in re.split(r"[,，、]", spans_text))):
                span = _SPAN.match(part)
                if not span:
                    raise ValueError(f"开放时间“{part}”格式不对，应为 09:00-17:00。")
                spans.append([t.zfill(5) for t in span.groups()])
            if not spans:
                raise ValueError(f"开放时间“{segment}”缺少时段，如 09:00-17:00。")
        for day in days:
            hours[WEEKDAYS[day]] = spans
    try:
        validate_opening_hours(hours)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from error
    return hours
