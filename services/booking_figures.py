"""Room use in an area's subtree month by month (the area dashboard's 场馆使用 section): one query."""

from django.db.models import DurationField, ExpressionWrapper, F, Q

from sites.monthly import Measure, monthly

from .models import Booking, BookingStatus

HELD = Q(status=BookingStatus.CONFIRMED)

MEASURES = [
    Measure(
        "bookings",
        "使用场次",
        "开始时间在当月、状态为“已确认”的活动室预约场次（待审核、驳回、取消和未到场的不计）。",
        "场",
        "start",
        where=HELD,
    ),
    Measure(
        "hours",
        "使用时长",
        "上述已确认预约从开始到结束的时长之和，按小时计。",
        "小时",
        "start",
        where=HELD,
        total=ExpressionWrapper(F("end") - F("start"), output_field=DurationField()),
    ),
    Measure(
        "no_shows",
        "未到场",
        "开始时间在当月、开始后 15 分钟仍无人签到而被释放（状态“未到场”）的预约场次。",
        "场",
        "start",
        where=Q(status=BookingStatus.NO_SHOW),
    ),
]


def booking_months(area, year):
    """[Series] 使用场次, 使用时长, 未到场 of the rooms of `area`'s subtree in `year`."""
    return monthly(Booking.objects.within(area), year, MEASURES)
