"""API shapes of rooms' availability and bookings; they parse and present, booking.py decides."""

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from members.models import Organization
from sites.ids import MAX_ID
from sites.models import Area, Venue

from . import dates
from .availability import bookable_rooms
from .models import Booking, Purpose


class BoundedDateTimeField(serializers.DateTimeField):
    """DRF's, refusing dates outside services.dates before it turns local time to UTC (which overflows
    at the ends of Python's range)."""

    def enforce_timezone(self, value):
        if not dates.in_range(value.date()):
            raise serializers.ValidationError(dates.OUT_OF_RANGE)
        return super().enforce_timezone(value)


class BoundedDateField(serializers.DateField):
    """A date within services.dates' calendar (0001-01-01 parses, and would break date arithmetic)."""

    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        if not dates.in_range(date):
            raise serializers.ValidationError(dates.OUT_OF_RANGE)
        return date


class SpanSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


def span_json(span):
    return {"start": timezone.localtime(span[0]).isoformat(), "end": timezone.localtime(span[1]).isoformat()}


class AvailabilityQuery(serializers.Serializer):
    venue = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="活动室 id")
    site = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="阵地 id：列出该阵地全部可预约活动室"
    )
    date = serializers.DateField(
        required=False, validators=[dates.check_in_range], help_text="起始日期，默认今天"
    )
    days = serializers.IntegerField(required=False, min_value=1, max_value=7, default=1)

    def validate(self, attrs):
        if not attrs.get("venue") and not attrs.get("site"):
            raise serializers.ValidationError("请指定活动室（venue）或阵地（site）。")
        return attrs


class DayAvailabilitySerializer(serializers.Serializer):
    date = serializers.DateField()
    closed_reason = serializers.CharField()
    opening = SpanSerializer(many=True)
    free = SpanSerializer(many=True)
    busy = SpanSerializer(many=True, help_text="已被预约的时段（不含预约人信息）")


class RoomAvailabilitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    site = serializers.CharField()
    capacity = serializers.IntegerField()
    url = serializers.CharField(help_text="该活动室的周视图页面")
    days = DayAvailabilitySerializer(many=True)


class FreeRoomsQuery(serializers.Serializer):
    start = BoundedDateTimeField()
    end = BoundedDateTimeField()
    attendees = serializers.IntegerField(min_value=1, default=1)
    lat = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )
    lng = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )
    radius = serializers.IntegerField(min_value=100, max_value=5000, default=1000, help_text="米")
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), required=False)

    def validate(self, attrs):
        if attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError({"end": "结束时间须晚于开始时间。"})
        if ("lat" in attrs) != ("lng" in attrs) or ("lat" not in attrs and "area" not in attrs):
            raise serializers.ValidationError("请同时给出纬度和经度（lat、lng），或指定区域（area）。")
        return attrs


class FreeRoomSerializer(serializers.ModelSerializer):
    site = serializers.CharField(source="site.name")
    address = serializers.CharField(source="site.address")
    distance_m = serializers.IntegerField(required=False, allow_null=True, default=None)

    class Meta:
        model = Venue
        fields = ["id", "name", "site", "address", "capacity", "distance_m"]


class BookingSerializer(serializers.ModelSerializer):
    venue_name = serializers.CharField(source="venue.__str__", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    contact_phone = serializers.SerializerMethodField(help_text="工作人员和预约人可见完整号码，其他人为掩码")
    cancelled_by = serializers.SerializerMethodField(
        help_text="取消人姓名；仅该区域工作人员可见，其他人为 null"
    )
    cancelled_at = serializers.SerializerMethodField(
        help_text="取消时间；仅该区域工作人员可见，其他人为 null"
    )

    class Meta:
        model = Booking
        fields = [
            "id", "venue", "venue_name", "title", "purpose", "organization", "group_name", "attendees",
            "contact_phone", "start", "end", "status", "status_label", "reject_reason", "series",
            "created_at", "cancelled_by", "cancelled_at", "checked_in_at", "released_at", "review_reason",
        ]  # fmt: skip

    def get_contact_phone(self, booking) -> str:
        return booking.phone_for(self.context["request"].user)

    def _for_staff(self, booking):
        return booking.is_managed_by(self.context["request"].user)

    def get_cancelled_by(self, booking) -> str | None:
        if not self._for_staff(booking) or booking.cancelled_by is None:
            return None
        return str(booking.cancelled_by)

    def get_cancelled_at(self, booking) -> dt.datetime | None:
        if not self._for_staff(booking):
            return None
        return serializers.DateTimeField().to_representation(booking.cancelled_at)


class BookingCreateSerializer(serializers.Serializer):
    # With its site, area and rules in the same query: the rules, the clash check and the answer read them.
    venue = serializers.PrimaryKeyRelatedField(queryset=bookable_rooms(), label="活动室")
    start = BoundedDateTimeField(label="开始时间")
    end = BoundedDateTimeField(label="结束时间")
    title = serializers.CharField(max_length=100, label="活动名称")
    purpose = serializers.ChoiceField(choices=Purpose.choices, label="活动类型")
    attendees = serializers.IntegerField(min_value=1, label="预计人数")
    contact_phone = serializers.CharField(max_length=20, label="联系电话")
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, label="党组织/单位"
    )
    group_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label="驳回原因")


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    clashes = SpanSerializer(many=True, help_text="冲突的时段（只显示时间和“已被预约”）")
    free_same_room = SpanSerializer(many=True, help_text="同一活动室当天够长的空闲时段")
    nearby = FreeRoomSerializer(many=True, help_text="步行 15 分钟内此时段空闲的其他活动室")
