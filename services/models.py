"""Room booking (场馆预约): each room's rules, closed dates, bookings and recurring series.

Two live bookings of one room never overlap. On PostgreSQL an exclusion constraint enforces it (added
by migration 0002 only on that database, so it is not in Meta); on SQLite `services.booking` checks and
inserts in one IMMEDIATE transaction. `services.booking` holds the operations; this module the data.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from members.models import Organization, mask_phone, may_see_phone, phone_validator
from sites.append_only import AppendOnlyModel
from sites.history import StaffEditHistory
from sites.models import Venue
from sites.opening_hours import OpeningHours, validate_opening_hours
from sites.scoping import AreaScopedQuerySet


class VenueRulesQuerySet(AreaScopedQuerySet):
    area_path_lookup = "venue__site__area__path"


class VenueRules(models.Model):
    """How a room may be booked. A room without a row books with the defaults below."""

    venue = models.OneToOneField(
        Venue, verbose_name="活动室", on_delete=models.CASCADE, related_name="booking_rules"
    )
    opening_hours = models.JSONField(
        "开放时间",
        null=True,
        blank=True,
        validators=[validate_opening_hours],
        help_text="留空则按所属阵地的开放时间。",
    )
    advance_days = models.PositiveSmallIntegerField(
        "最多提前预约天数", default=30, validators=[MinValueValidator(1, "至少可提前 1 天预约。")]
    )
    min_minutes = models.PositiveSmallIntegerField(
        "最短预约时长（分钟）", default=30, validators=[MinValueValidator(15, "最短时长不能少于 15 分钟。")]
    )
    max_minutes = models.PositiveSmallIntegerField(
        "最长预约时长（分钟）",
        default=240,
        validators=[MaxValueValidator(24 * 60, "最长时长不能超过 24 小时。")],
    )
    needs_approval = models.BooleanField("需要审核", default=False, help_text="勾选后预约须经工作人员审核。")

    objects = VenueRulesQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "预约规则"
        verbose_name_plural = "预约规则"
        constraints = [
            models.CheckConstraint(
                name="venue_rules_min_le_max",
                condition=Q(min_minutes__lte=F("max_minutes")),
                violation_error_message="最短预约时长不能大于最长预约时长。",
            ),
        ]

    def __str__(self):
        return f"{self.venue} 的预约规则"

    @classmethod
    def for_venue(cls, venue):
        """The room's rules, or unsaved defaults; reads the prefetched/select_related row if present."""
        try:
            return venue.booking_rules
        except cls.DoesNotExist:
            return cls(venue=venue)

    @property
    def hours(self):
        if self.opening_hours is not None:
            return OpeningHours(self.opening_hours)
        return self.venue.site.hours


class ClosedDateQuerySet(AreaScopedQuerySet):
    area_path_lookup = "venue__site__area__path"


class ClosedDate(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name="活动室", on_delete=models.CASCADE, related_name="closed_dates"
    )
    date = models.DateField("日期")
    reason = models.CharField("原因", max_length=100, help_text="如：国庆假期、设备检修")

    objects = ClosedDateQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "闭馆日期"
        verbose_name_plural = "闭馆日期"
        ordering = ["venue", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "date"],
                name="closed_date_unique_per_venue",
                violation_error_message="该活动室这一天已设为闭馆。",
            ),
        ]

    def __str__(self):
        return f"{self.venue} {self.date:%Y-%m-%d} 闭馆（{self.reason}）"


class Purpose(models.TextChoices):
    THREE_MEETINGS = "three_meetings", "三会一课"
    PARTY_DAY = "party_day", "主题党日"
    VOLUNTEER = "volunteer", "志愿服务"
    RESIDENTS = "residents", "居民活动"
    TRAINING = "training", "培训"
    OTHER = "other", "其他"


class BookingStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "已驳回"
    CANCELLED = "cancelled", "已取消"
    # Confirmed, but nobody checked in by 15 minutes after the start: released (services/checkin.py).
    NO_SHOW = "no_show", "未到场"


# Bookings that hold their slot: the exclusion constraint and the overlap check cover exactly these.
LIVE_STATUSES = [BookingStatus.PENDING, BookingStatus.CONFIRMED]


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月第 n 个星期几"


class BookingSeries(models.Model):
    """A recurring booking: the rule that made its occurrences (each one a Booking with this series)."""

    venue = models.ForeignKey(Venue, verbose_name="活动室", on_delete=models.CASCADE, related_name="series")
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="组织者",
        on_delete=models.CASCADE,
        related_name="booking_series",
    )
    frequency = models.CharField("重复方式", max_length=10, choices=Frequency.choices)
    weekdays = models.JSONField("星期", default=list, help_text="0=周一 … 6=周日")
    week_of_month = models.SmallIntegerField(
        "第几周", null=True, blank=True, help_text="1–4，-1 表示最后一周"
    )
    until = models.DateField("截止日期", null=True, blank=True)
    count = models.PositiveSmallIntegerField("次数", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "周期预约"
        verbose_name_plural = "周期预约"

    def __str__(self):
        return f"{self.venue} {self.describe()}"

    def describe(self):
        from .recurrence import describe

        return describe(self.frequency, self.weekdays, self.week_of_month, self.until, self.count)


class BookingQuerySet(AreaScopedQuerySet):
    area_path_lookup = "venue__site__area__path"

    def visible_to(self, user):
        """Staff see their area's bookings; everyone signed in sees their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        path = user.scope_path
        if path is None:
            return self.filter(organizer=user)
        return self.filter(Q(organizer=user) | Q(**{f"{self.area_path_lookup}__startswith": path}))

    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def overlapping(self, venue, span):
        """Live bookings of `venue` (a Venue or its pk) that share any instant with [start, end)."""
        start, end = span
        return self.live().filter(venue=venue, start__lt=end, end__gt=start)

    def upcoming(self):
        return self.filter(end__gt=timezone.now())

    def past(self):
        return self.filter(end__lte=timezone.now())

    def managed_by(self, user):
        """The bookings of the rooms in `user`'s area: what that staff member reviews and manages.

        Not visible_to(), which adds their own bookings elsewhere, which they may not decide on. The
        rooms come as a subquery, so the database probes the booking indexes room by room instead of
        joining every booking of the city to its area.
        """
        if getattr(user, "scope_path", None) == "":
            return self.all()
        return self.filter(venue__in=Venue.objects.visible_to(user).values("pk"))

    def awaiting_review(self):
        """Pending requests still ahead, oldest first: the queue staff work through."""
        return self.upcoming().filter(status=BookingStatus.PENDING).order_by("created_at")

    def recently_decided(self, within=dt.timedelta(days=7)):
        """Approvals and rejections of the last `within` for bookings still ahead, latest first."""
        return (
            self.upcoming()
            .filter(decided_at__gte=timezone.now() - within)
            .exclude(status=BookingStatus.PENDING)
            .order_by("-decided_at")
        )


class Booking(models.Model):
    venue = models.ForeignKey(Venue, verbose_name="活动室", on_delete=models.PROTECT, related_name="bookings")
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组织者", on_delete=models.PROTECT, related_name="bookings"
    )
    title = models.CharField("活动名称", max_length=100)
    purpose = models.CharField("活动类型", max_length=20, choices=Purpose.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="党组织/单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    group_name = models.CharField("团体名称", max_length=100, blank=True, help_text="不属于党组织时填写")
    attendees = models.PositiveIntegerField("预计人数", validators=[MinValueValidator(1, "人数至少为 1。")])
    contact_phone = models.CharField("联系电话", max_length=20, validators=[phone_validator])
    start = models.DateTimeField("开始时间")
    end = models.DateTimeField("结束时间")
    status = models.CharField(
        "状态", max_length=10, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    reject_reason = models.CharField("驳回原因", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    # Who cancelled (the organiser or area staff) and when: set by the cancelling UPDATE itself.
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取消人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    # Check-in at the room (services/checkin.py): the organiser, or area staff on their behalf.
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签到人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_at = models.DateTimeField("未到场释放时间", null=True, blank=True)
    # Why a booking of a room that needs no approval still went to review (the no-show rule).
    review_reason = models.CharField("转人工审核原因", max_length=200, blank=True)
    series = models.ForeignKey(
        BookingSeries,
        verbose_name="所属周期预约",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    # The 三会一课 meeting this room was booked for (members/meetings.py plans it; services/meeting_rooms.py
    # books it): the link lives here because members, the lower app, never refers to bookings.
    meeting = models.OneToOneField(
        "members.Meeting",
        verbose_name="组织生活会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="booking",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = "场馆预约"
        verbose_name_plural = "场馆预约"
        ordering = ["start"]
        indexes = [
            # A room's day/week, the overlap check and "free rooms from T1 to T2" all range on start.
            models.Index(fields=["venue", "start"], name="booking_venue_start_idx"),
            models.Index(fields=["organizer", "start"], name="booking_organizer_start_idx"),
            models.Index(fields=["start"], name="booking_start_idx"),  # the admin's list, latest first
            models.Index(fields=["status", "created_at"], name="booking_status_created_idx"),
            # The review queue: an area's pending requests (per room, still ahead, oldest first) and its
            # latest decisions, without reading the whole table.
            models.Index(
                fields=["venue", "end", "created_at"],
                name="booking_pending_idx",
                condition=Q(status="pending"),
            ),
            models.Index(
                fields=["decided_at"], name="booking_decided_idx", condition=Q(decided_at__isnull=False)
            ),
            models.Index(fields=["series", "start"], name="booking_series_start_idx"),
            # The release job's candidates: confirmed, nobody checked in, by start.
            models.Index(
                fields=["start"],
                name="booking_awaiting_checkin_idx",
                condition=Q(status="confirmed", checked_in_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="booking_start_before_end",
                condition=Q(start__lt=F("end")),
                violation_error_message="结束时间须晚于开始时间。",
            ),
            models.CheckConstraint(
                name="booking_attendees_positive",
                condition=Q(attendees__gte=1),
                violation_error_message="人数至少为 1。",
            ),
            models.CheckConstraint(
                name="booking_rejection_has_reason",
                condition=~Q(status=BookingStatus.REJECTED) | ~Q(reject_reason=""),
                violation_error_message="驳回须填写原因。",
            ),
            # A booking somebody checked in to was used: it can never be a no-show.
            models.CheckConstraint(
                name="booking_no_show_not_checked_in",
                condition=~Q(status="no_show") | Q(checked_in_at__isnull=True, released_at__isnull=False),
                violation_error_message="已签到的预约不能记为未到场。",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.venue}，{self.span_label}）"

    def clean(self):
        if self.start and self.end and self.start >= self.end:
            raise ValidationError({"end": "结束时间须晚于开始时间。"})

    @property
    def span(self):
        return self.start, self.end

    @property
    def span_label(self):
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return (
            f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
            if start.date() == end.date()
            else f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"
        )

    @property
    def held_by(self):
        """Who the booking is for: the organisation, else the group name."""
        return self.organization.name if self.organization_id else self.group_name

    @property
    def is_live(self):
        return self.status in LIVE_STATUSES

    def is_managed_by(self, user):
        """Staff of the room's area: they review and cancel it, and see the booker's details."""
        return user.is_authenticated and user.can_manage(self.venue.site.area)

    def phone_for(self, user):
        """The full number for the organiser and staff of the room's area; masked for anyone else."""
        if may_see_phone(user, owner_id=self.organizer_id, area=self.venue.site.area):
            return self.contact_phone
        return mask_phone(self.contact_phone)

    def local_date(self):
        return timezone.localtime(self.start).date()

    def again_date(self, today=None):
        """The same weekday, from next week on: the date "book again" offers."""
        today = today or timezone.localdate()
        date = self.local_date()
        while date <= today:
            date += dt.timedelta(days=7)
        return date


class NoShowLift(AppendOnlyModel):
    """Area staff lifting an organiser's no-show hold (services/no_shows.py): no-shows before it no longer
    count. Append-only: the dated record of who lifted it and why is the hold's history."""

    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="组织者",
        on_delete=models.PROTECT,
        related_name="no_show_lifts",
    )
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="解除人", on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField("解除时间", default=timezone.now)
    reason = models.CharField("解除原因", max_length=200)

    class Meta:
        verbose_name = "未到场限制解除记录"
        verbose_name_plural = "未到场限制解除记录"
        ordering = ["-lifted_at"]
        indexes = [models.Index(fields=["organizer", "lifted_at"], name="no_show_lift_organizer_idx")]
        constraints = [
            models.CheckConstraint(
                name="no_show_lift_has_reason",
                condition=~Q(reason=""),
                violation_error_message="解除限制须填写原因。",
            ),
        ]

    def __str__(self):
        return f"{self.organizer} 的未到场限制于 {timezone.localtime(self.lifted_at):%Y-%m-%d %H:%M} 解除"


def new_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A private iCalendar URL: an organiser's own bookings, or one room's. Regenerating revokes the old."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name="活动室",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        help_text="留空为本人的预约日历。",
    )
    token = models.CharField("令牌", max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "日历订阅"
        verbose_name_plural = "日历订阅"
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(venue__isnull=True), name="calendar_feed_one_own_per_owner"
            ),
            models.UniqueConstraint(
                fields=["owner", "venue"],
                condition=Q(venue__isnull=False),
                name="calendar_feed_one_per_venue",
            ),
        ]

    def __str__(self):
        return f"{self.venue or self.owner} 的日历"

    def regenerate(self):
        self.token = new_token()
        self.save(update_fields=["token"])


# The activities' and the lists' (需求清单, 资源清单, 认领) models live in their own modules; imported here so
# Django registers them with the app.
from .activity_models import (  # noqa: E402, F401
    Activity,
    ActivityKind,
    ActivityStatus,
    Eligibility,
    Signup,
    SignupStatus,
)
from .demand_models import (  # noqa: E402, F401
    Demand,
    DemandCategory,
    DemandStatus,
    DemandTaking,
    DemandTransition,
    Evaluation,
    SupervisionNote,
)
from .dismissal_models import SuggestionDismissal  # noqa: E402, F401

# The co-building units' yearly indicators (挂包联系, 年度指标, 挂钩联系困难群众).
from .indicator_models import (  # noqa: E402, F401
    CobuildingAgreement,
    HardshipLink,
    Indicator,
    IndicatorTarget,
    Measure,
)
from .list_models import (  # noqa: E402, F401
    Claim,
    ClaimDirection,
    ClaimEvent,
    ClaimStatus,
    Need,
    NeedPhoto,
    NeedState,
    NeedStatus,
    Rating,
    Resource,
    ResourceForm,
    ResourceStatus,
    ServiceCategory,
    ServiceKind,
    Urgency,
)
from .resident_models import Resident  # noqa: E402, F401
