"""Notifications to accounts: the transactional outbox (DESIGN.md section 4) and each user's choice of
channels. Rows are written by `members.notify.notify` in the transaction of what causes them and
delivered by `members.notify.deliver`; nothing else writes them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string


class Channel(models.TextChoices):
    INBOX = "inbox", "站内信"
    SMS = "sms", "短信"
    EMAIL = "email", "邮件"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class NotificationQuerySet(models.QuerySet):
    def inbox_of(self, user):
        """The user's 站内信, newest first."""
        return self.filter(recipient=user, channel=Channel.INBOX).order_by("-created_at", "-pk")

    def unread_of(self, user):
        return self.filter(recipient=user, channel=Channel.INBOX, read_at__isnull=True)

    def pending(self):
        """Written and not yet delivered (the outbox's backlog on /metrics)."""
        return self.filter(status=NotificationStatus.PENDING)

    def due(self, now):
        """Pending ones whose next attempt is due: what the sweep hands to a worker again."""
        return self.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)


class Notification(models.Model):
    """One message to one account on one channel. `key` names its cause (``booking:12:confirmed``): one
    row per recipient, key and channel, whatever retries or double clicks happen, so it is delivered at
    most once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    template = models.CharField("模板", max_length=100, help_text="templates/notifications/ 下的模板名")
    context = models.JSONField("内容参数", default=dict, blank=True)
    key = models.CharField("唯一键", max_length=200)
    status = models.CharField(
        "状态", max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key", "channel"], name="notification_once_per_recipient_key_channel"
            ),
        ]
        indexes = [
            # The inbox page and the header's unread count.
            models.Index(fields=["recipient", "channel", "-created_at"], name="notification_inbox"),
            # The sweep: pending ones by when they are due.
            models.Index(
                fields=["next_attempt_at"], name="notification_pending_due", condition=Q(status="pending")
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}：{self.subject}"

    def _render(self, part):
        # Plain text for mail, SMS and the inbox page (which escapes it): each template turns autoescape off.
        return render_to_string(f"notifications/{self.template}{part}.txt", self.context).strip()

    @property
    def subject(self):
        return self._render("_subject")

    @property
    def body(self):
        return self._render("")


class NotificationPreference(models.Model):
    """Which channels besides 站内信 a user wants; with no row, the defaults below. The 站内信 is always
    written: it is the record of what the user was told, and costs nothing to send."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField("邮件", default=True)
    sms = models.BooleanField("短信", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "通知偏好"

    def __str__(self):
        return f"{self.user} 的通知偏好"

    def channels_for(self, user):
        """The channels to use for `user` now: only those they have an address for."""
        channels = [Channel.INBOX]
        if self.email and user.email:
            channels.append(Channel.EMAIL)
        if self.sms and user.phone:
            channels.append(Channel.SMS)
        return channels
