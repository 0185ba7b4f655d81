"""Activities at the sites (活动报名) and the sign-ups for them; `services.activities` holds the operations.

An activity in a room holds that room through its own `Booking` (made by `book_venue` in the same
transaction), so it can never clash with another booking; an outdoor activity has no room. The number of
places taken is a stored counter next to `capacity`, kept by the sign-up operations under a row lock on
the activity; a CHECK keeps it within capacity and `manage.py reconcile` compares it with the sign-ups.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from members.models import Organization, PointRule
from sites.models import Site, Venue
from sites.scoping import AreaScopedQuerySet
from sites.uploads import JPEG, PNG, check_upload

from .dates import check_in_range
from .models import Booking

MAX_COVER_BYTES = 5 * 1024 * 1024


def validate_cover(file):
    """A cover is public (MEDIA_ROOT): only a JPG or PNG by content and by name, like every upload."""
    check_upload(
        file, label="封面图片", formats=(JPEG, PNG), max_bytes=MAX_COVER_BYTES, hint="请压缩或缩小后再上传"
    )


def validate_in_calendar(moment):
    """The calendar every page accepts (services.dates): 9999-12-31 is a slip, and a 500 in local time."""
    check_in_range(moment.date())


# The longest an activity may last (Activity.clean); lists of what is not over rely on it (upcoming()).
MAX_LENGTH = dt.timedelta(days=7)


class ActivityKind(models.TextChoices):
    THREE_MEETINGS = "three_meetings", "三会一课"
    PARTY_DAY = "party_day", "主题党日"
    VOLUNTEER = "volunteer", "志愿服务"
    CULTURE = "culture", "文体活动"
    LECTURE = "lecture", "讲座"
    COUNCIL = "council", "议事会"
    OTHER = "other", "其他"


class Eligibility(models.TextChoices):
    ANYONE = "anyone", "所有登录用户"
    PARTY_MEMBERS = "party_members", "党员"
    ORGANIZATION = "organization", "指定党组织的党员"


class ActivityStatus(models.TextChoices):
    PUBLISHED = "published", "已发布"
    CANCELLED = "cancelled", "已取消"


# What a card shows of an activity (templates/services/includes/activity_item.html).
CARD_FIELDS = ["title", "kind", "start", "end", "capacity", "places_taken", "cover"]


class ActivityQuerySet(AreaScopedQuerySet):
    area_path_lookup = "site__area__path"

    def cards(self):
        """Activities with what their cards show, the site's and room's names included: building the
        whole rows (the site's 20 columns with its opening hours, the description) cost the lists more
        than finding them."""
        return self.select_related("site", "venue").only(*CARD_FIELDS, "site__name", "venue__name")

    def published(self):
        return self.filter(status=ActivityStatus.PUBLISHED)

    def upcoming(self):
        """Not yet over. The bound on the start is what an index on it can use: without it a scan in start
        order reads months of past activities first (on the city data, 33,000 rows for a page of 20)."""
        now = timezone.now()
        return self.filter(end__gt=now, start__gt=now - MAX_LENGTH)


class Activity(models.Model):
    site = models.ForeignKey(
        Site, verbose_name="所属阵地", on_delete=models.PROTECT, related_name="activities"
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name="活动室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text="留空表示在阵地户外举办。",
    )
    booking = models.OneToOneField(
        Booking,
        verbose_name="场馆预约",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity",
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField("活动名称", max_length=100)
    description = models.TextField("活动介绍", blank=True)
    kind = models.CharField("活动类型", max_length=20, choices=ActivityKind.choices)
    start = models.DateTimeField("开始时间", validators=[validate_in_calendar])
    end = models.DateTimeField("结束时间", validators=[validate_in_calendar])
    capacity = models.PositiveIntegerField("名额", validators=[MinValueValidator(1, "名额至少为 1。")])
    places_taken = models.PositiveIntegerField("已报名人数", default=0, editable=False)
    eligibility = models.CharField(
        "报名范围", max_length=20, choices=Eligibility.choices, default=Eligibility.ANYONE
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="限定党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text="报名范围为“指定党组织的党员”时填写。",
    )
    point_rule = models.ForeignKey(
        PointRule,
        verbose_name="积分标准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text="确认出勤后，签到的志愿者按此标准获得积分；留空则不记积分。",
    )
    cover = models.ImageField(
        "封面图片",
        upload_to="activities/%Y/",
        blank=True,
        validators=[validate_cover],
        help_text="JPG 或 PNG，不超过 5 MB。",
    )
    status = models.CharField(
        "状态", max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PUBLISHED
    )
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    # Set once by services.activities.confirm_attendance; the points were posted in that transaction.
    attendance_confirmed_at = models.DateTimeField("出勤确认时间", null=True, blank=True, editable=False)
    attendance_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="出勤确认人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["start", "pk"]
        indexes = [
            # What is ahead (upcoming()), at a site or in start order: the end beside the start lets the
            # scan skip what is over without reading the rows, and a count of a district's activities
            # reads the site index alone (an index-only scan).
            models.Index(
                fields=["site", "start", "end"],
                condition=Q(status=ActivityStatus.PUBLISHED),
                name="activity_published_site_idx",
            ),
            models.Index(
                fields=["start", "end"],
                condition=Q(status=ActivityStatus.PUBLISHED),
                name="activity_published_start_idx",
            ),
            models.Index(fields=["start"], name="activity_start_idx"),  # the admin's list, cancelled too
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(places_taken__lte=F("capacity")), name="activity_places_within_capacity"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="activity_end_after_start"),
            models.CheckConstraint(
                condition=~Q(eligibility=Eligibility.ORGANIZATION) | Q(organization__isnull=False),
                name="activity_organization_when_restricted",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{timezone.localtime(self.start):%Y-%m-%d %H:%M}）"

    def get_absolute_url(self):
        return reverse("services:activity-detail", args=[self.pk])

    def clean(self):
        if self.start and self.end and self.end - self.start > MAX_LENGTH:
            raise ValidationError({"end": f"活动最长 {MAX_LENGTH.days} 天；更长的请分成几场发布。"})

    span_label = Booking.span_label  # the same "2026-12-07 14:00–16:00" as the booking's

    @property
    def places_left(self):
        return self.capacity - self.places_taken

    @property
    def attendance_confirmed(self):
        return self.attendance_confirmed_at is not None

    @property
    def place_label(self):
        # The activity's own site, not the venue's (the same one): lists load it already, so no query per row.
        return f"{self.site.name} · {self.venue.name}" if self.venue_id else f"{self.site}（户外）"


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", "已报名"
    WAITLISTED = "waitlisted", "候补"
    CANCELLED = "cancelled", "已取消"


# Sign-ups that hold a place or a place in the queue: one per person per activity.
LIVE_SIGNUP_STATUSES = [SignupStatus.SIGNED_UP, SignupStatus.WAITLISTED]


class SignupQuerySet(AreaScopedQuerySet):
    area_path_lookup = "activity__site__area__path"

    def live(self):
        return self.filter(status__in=LIVE_SIGNUP_STATUSES)

    def waitlist(self):
        """The queue in the order people joined it (pk breaks ties within one instant)."""
        return self.filter(status=SignupStatus.WAITLISTED).order_by("created_at", "pk")


class Signup(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报名人", on_delete=models.CASCADE, related_name="signups"
    )
    status = models.CharField("状态", max_length=12, choices=SignupStatus.choices)
    created_at = models.DateTimeField("报名时间", default=timezone.now)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    # Empty when the person scanned the code themself; the organiser when they corrected the list.
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="补签人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SignupQuerySet.as_manager()

    class Meta:
        verbose_name = "活动报名"
        verbose_name_plural = "活动报名"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["activity", "status", "created_at"], name="signup_activity_queue_idx"),
            models.Index(fields=["user", "created_at"], name="signup_user_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=Q(status__in=LIVE_SIGNUP_STATUSES),
                name="signup_one_live_per_person",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.activity.title}（{self.get_status_display()}）"
