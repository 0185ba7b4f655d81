"""Organisation life (组织生活): 三会一课 and 主题党日 (Meeting, Attendance, attachments, amendments), the
compliance rules that say how often each meeting is due (ComplianceRule), and 按期换届 (TermLength,
CommitteeTerm).

Meetings and terms are written only by members/meetings.py and members/terms.py. Whether an organisation
is behind, and whether a term is due or overdue, is never stored: members/compliance.py and the term
queryset compute it from the dates at query time (Asia/Shanghai), so no lagging job can leave a stale flag.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from sites.append_only import AppendOnlyModel
from sites.history import StaffEditHistory
from sites.models import Venue
from sites.private_storage import private_storage
from sites.scoping import AreaScopedQuerySet
from sites.uploads import JPEG, PDF, PNG, check_upload

from .accounts import Role
from .organizations import OrganizationKind
from .points import DATE_VALIDATORS

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# A record entered later than this after the meeting is 补录; after this long from the meeting a recorded
# meeting changes only by an amendment with a reason (members/meetings.py: amend_meeting).
RECORD_WINDOW = dt.timedelta(days=30)
# A term is "due soon" this many days before it ends.
TERM_DUE_SOON_DAYS = 90


def validate_attachment(file):
    check_upload(
        file,
        label="附件",
        formats=(PDF, JPEG, PNG),
        max_bytes=MAX_ATTACHMENT_BYTES,
        hint="请压缩或分页扫描后再上传",
    )


class MeetingKind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", "支部党员大会"
    COMMITTEE_MEETING = "committee_meeting", "支委会"
    GROUP_MEETING = "group_meeting", "党小组会"
    PARTY_LECTURE = "party_lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "计划召开"
    HELD = "held", "已召开"
    RECORDED = "recorded", "已记录"


# The meetings that count: they took place.
HELD_STATUSES = [MeetingStatus.HELD, MeetingStatus.RECORDED]


class OrganizationLifeQuerySet(AreaScopedQuerySet):
    """Rows of an organisation's life (meetings, terms): what User.keeps_records_of allows, as a query."""

    area_path_lookup = "organization__area__path"

    def visible_to(self, user):
        """Staff see their area's; a branch secretary (an organiser account of the organisation) sees
        their organisation's and its 党小组's."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        path = user.scope_path
        own = (
            Q(organization=user.organization_id) | Q(organization__parent=user.organization_id)
            if user.organization_id and user.role == Role.ORGANIZER
            else Q(pk__in=[])
        )
        if path is None:
            return self.filter(own)
        return self.filter(Q(**{f"{self.area_path_lookup}__startswith": path}) | own)


class MeetingQuerySet(OrganizationLifeQuerySet):
    def held(self):
        return self.filter(status__in=HELD_STATUSES)


class Meeting(models.Model):
    """One 支部党员大会, 支委会, 党小组会, 党课 or 主题党日 of an organisation: planned → held → recorded."""

    organization = models.ForeignKey(
        "members.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    status = models.CharField(
        "状态", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    start = models.DateTimeField("开始时间")
    end = models.DateTimeField("结束时间")
    venue = models.ForeignKey(
        Venue,
        verbose_name="活动室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="在阵地活动室召开时选择；在其他地方召开时填写地点。",
    )
    place = models.CharField("其他地点", max_length=100, blank=True)
    topic = models.CharField("主题", max_length=150)
    presided_by = models.CharField("主持人/授课人", max_length=50, blank=True)
    given_by = models.ForeignKey(
        "members.Organization",
        verbose_name="授课单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lectures_given",
        help_text="党课由共驻共建单位讲授时选择，计入该单位的年度指标。",
    )
    minutes = models.TextField("会议记录", blank=True)
    late_entry = models.BooleanField("补录", default=False, editable=False)
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = MeetingQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "组织生活会议"
        verbose_name_plural = "组织生活会议"
        ordering = ["-start"]
        indexes = [
            # An organisation's page and the compliance count per (organisation, kind, period).
            models.Index(fields=["organization", "kind", "start"], name="meeting_org_kind_start_idx"),
            models.Index(fields=["organization", "start"], name="meeting_org_start_idx"),
            # The compliance list's months met per organisation (members/compliance.py: held_months),
            # read from the index alone.
            models.Index(
                fields=["organization", "start", "kind"],
                name="meeting_held_org_start_idx",
                condition=Q(status__in=HELD_STATUSES),
            ),
            models.Index(
                fields=["given_by", "start"], name="meeting_given_by_idx", condition=Q(given_by__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="meeting_start_before_end",
                condition=Q(start__lt=F("end")),
                violation_error_message="结束时间须晚于开始时间。",
            ),
            models.CheckConstraint(
                name="meeting_has_place",
                condition=Q(venue__isnull=False) | ~Q(place=""),
                violation_error_message="请选择活动室或填写地点。",
            ),
            models.CheckConstraint(
                name="meeting_recorded_has_record",
                condition=~Q(status=MeetingStatus.RECORDED) | Q(recorded_at__isnull=False),
                violation_error_message="已记录的会议须有记录时间。",
            ),
            models.CheckConstraint(
                name="meeting_late_entry_is_recorded",
                condition=Q(late_entry=False) | Q(status=MeetingStatus.RECORDED),
                violation_error_message="只有已记录的会议才可能是补录。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()} · {timezone.localdate(self.start):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("members:meeting-detail", args=[self.pk])

    @property
    def place_label(self):
        return str(self.venue) if self.venue_id else self.place

    @property
    def locked(self):
        """Past the record window: the record changes only by an amendment with a reason."""
        return self.status == MeetingStatus.RECORDED and timezone.now() > self.start + RECORD_WINDOW


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    EXCUSED = "excused", "请假"
    ABSENT = "absent", "缺席"


class Attendance(models.Model):
    """One member at one meeting: present, excused (with the reason) or absent."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField("请假原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "出席情况"
        verbose_name_plural = "出席情况"
        ordering = ["meeting", "member__name"]
        indexes = [models.Index(fields=["member", "meeting"], name="attendance_member_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_one_per_member",
                violation_error_message="同一党员在一次会议中只能有一条出席记录。",
            ),
            models.CheckConstraint(
                name="attendance_excused_has_reason",
                condition=~Q(status=AttendanceStatus.EXCUSED) | ~Q(reason=""),
                violation_error_message="请假须填写原因。",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"


class AttachmentKind(models.TextChoices):
    NOTICE = "notice", "会议通知"
    MINUTES = "minutes", "会议记录"
    SIGN_IN = "sign_in", "签到表"
    PHOTO = "photo", "照片"


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("附件类型", max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(
        "文件",
        upload_to="members/meetings/%Y/",
        storage=private_storage,
        validators=[validate_attachment],
        help_text="PDF、JPG 或 PNG，不超过 5 MB。",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议附件"
        verbose_name_plural = "会议附件"
        ordering = ["meeting", "uploaded_at"]

    def __str__(self):
        return f"{self.meeting} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("members:meeting-attachment", args=[self.pk])


class MeetingAmendment(AppendOnlyModel):
    """A change to a meeting's record after its record window: what changed, why, and who changed it.
    Append-only in the database (migration): the trail of a settled record cannot be rewritten."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="amendments"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("修改时间", auto_now_add=True)
    reason = models.CharField("修改原因", max_length=200)
    changes = models.JSONField("修改内容", default=dict, help_text="字段：[原值, 新值]")

    class Meta:
        verbose_name = "会议记录更正"
        verbose_name_plural = "会议记录更正"
        ordering = ["meeting", "at"]
        constraints = [
            models.CheckConstraint(
                name="amendment_has_reason",
                condition=~Q(reason=""),
                violation_error_message="请填写修改原因。",
            )
        ]

    def __str__(self):
        return f"{self.meeting} 更正：{self.reason}"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"


# How many months one period of each frequency spans.
MONTHS_PER_PERIOD = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


class ComplianceRule(models.Model):
    """How often an organisation of a kind must hold a kind of meeting. `year` empty: the standing rule;
    a row for a year replaces the standing one for that year (staff change the rule for one year)."""

    organization_kind = models.CharField("党组织类型", max_length=20, choices=OrganizationKind.choices)
    meeting_kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    frequency = models.CharField("频次", max_length=12, choices=Frequency.choices)
    year = models.PositiveSmallIntegerField(
        "适用年度", null=True, blank=True, help_text="留空为常年规则；填写年度则只在该年代替常年规则。"
    )
    required = models.BooleanField("须召开", default=True, help_text="取消勾选：该年度不作要求。")

    history = StaffEditHistory()

    class Meta:
        verbose_name = "组织生活频次规则"
        verbose_name_plural = "组织生活频次规则"
        ordering = ["organization_kind", "meeting_kind", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization_kind", "meeting_kind"],
                condition=Q(year__isnull=True),
                name="compliance_rule_one_standing",
                violation_error_message="该类党组织的这类会议已有常年规则。",
            ),
            models.UniqueConstraint(
                fields=["organization_kind", "meeting_kind", "year"],
                condition=Q(year__isnull=False),
                name="compliance_rule_one_per_year",
                violation_error_message="该类党组织的这类会议在该年度已有规则。",
            ),
            models.CheckConstraint(
                name="compliance_rule_year_range",
                condition=Q(year__isnull=True) | Q(year__gte=2000, year__lte=2100),
                violation_error_message="年度应在 2000 到 2100 之间。",
            ),
        ]

    def __str__(self):
        year = f"{self.year} 年" if self.year else "常年"
        return (
            f"{self.get_organization_kind_display()} {self.get_meeting_kind_display()} "
            f"{self.get_frequency_display()}（{year}）"
        )


class TermLength(models.Model):
    """任期: how many years a committee of an organisation kind serves (configured, not in code)."""

    organization_kind = models.CharField(
        "党组织类型", max_length=20, choices=OrganizationKind.choices, unique=True
    )
    years = models.PositiveSmallIntegerField("任期（年）")

    history = StaffEditHistory()

    class Meta:
        verbose_name = "任期年限"
        verbose_name_plural = "任期年限"
        ordering = ["organization_kind"]
        constraints = [
            models.CheckConstraint(
                name="term_length_years_range",
                condition=Q(years__gte=1, years__lte=10),
                violation_error_message="任期应在 1 到 10 年之间。",
            )
        ]

    def __str__(self):
        return f"{self.get_organization_kind_display()} {self.years} 年"


class CommitteeTermQuerySet(OrganizationLifeQuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)

    def with_due_on(self):
        """`due` = the approved extension's date, else the regular end of the term."""
        return self.annotate(due=models.functions.Coalesce("extended_until", "regular_due_on"))

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.active().with_due_on().filter(due__lt=today)

    def due_soon(self, today=None):
        today = today or timezone.localdate()
        soon = today + dt.timedelta(days=TERM_DUE_SOON_DAYS)
        return self.active().with_due_on().filter(due__gte=today, due__lte=soon)


class CommitteeTerm(models.Model):
    """换届; 届次: one elected committee of an organisation, from its election to the next."""

    organization = models.ForeignKey(
        "members.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField("届次")
    elected_on = models.DateField("选举日期", validators=DATE_VALIDATORS)
    years = models.PositiveSmallIntegerField("任期（年）", help_text="选举时按党组织类型的任期年限确定。")
    regular_due_on = models.DateField("届满日期")
    extended_until = models.DateField("延期至", null=True, blank=True, validators=DATE_VALIDATORS)
    extension_reason = models.CharField("延期原因", max_length=200, blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="延期批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_on = models.DateField("换届日期", null=True, blank=True, help_text="下一届选出之日。")

    objects = CommitteeTermQuerySet.as_manager()
    history = StaffEditHistory()

    class Meta:
        verbose_name = "党组织届次"
        verbose_name_plural = "党组织届次"
        ordering = ["organization", "-number"]
        indexes = [
            models.Index(fields=["regular_due_on"], name="term_due_idx", condition=Q(ended_on__isnull=True))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(ended_on__isnull=True),
                name="term_one_active",
                violation_error_message="该党组织已有一届在任的委员会。",
            ),
            models.UniqueConstraint(
                fields=["organization", "number"],
                name="term_number_unique",
                violation_error_message="该党组织已有这一届次。",
            ),
            models.CheckConstraint(
                name="term_due_after_election",
                condition=Q(regular_due_on__gt=F("elected_on")),
                violation_error_message="届满日期须晚于选举日期。",
            ),
            models.CheckConstraint(
                name="term_extension_approved",
                condition=Q(extended_until__isnull=True)
                | (
                    Q(extended_until__gt=F("regular_due_on"), extension_approved_by__isnull=False)
                    & ~Q(extension_reason="")
                ),
                violation_error_message="延期须晚于届满日期，并写明原因和批准人。",
            ),
            models.CheckConstraint(
                name="term_ended_after_election",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("elected_on")),
                violation_error_message="换届日期不能早于选举日期。",
            ),
        ]

    def __str__(self):
        return f"{self.organization} 第 {self.number} 届"

    @property
    def due_on(self):
        return self.extended_until or self.regular_due_on

    def state(self, today=None):
        """'overdue', 'due_soon' or '' for an active term, from the dates (Asia/Shanghai today)."""
        if self.ended_on is not None:
            return ""
        today = today or timezone.localdate()
        if self.due_on < today:
            return "overdue"
        if (self.due_on - today).days <= TERM_DUE_SOON_DAYS:
            return "due_soon"
        return ""

    def state_label(self, today=None):
        return {"overdue": "已超期未换届", "due_soon": "即将届满", "": "在任"}[self.state(today)]
