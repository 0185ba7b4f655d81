"""SMS verification codes (短信验证码) for registering with a phone number: stored as a hash only, with an
expiry and a limit on wrong guesses (members/registration.py issues and checks them)."""

from django.db import models


class PhoneCode(models.Model):
    phone = models.CharField("手机号", max_length=20)
    code_hash = models.CharField("验证码摘要", max_length=128, editable=False)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    ip = models.GenericIPAddressField("请求地址", null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["phone", "-sent_at"], name="phonecode_phone_idx"),
            models.Index(fields=["ip", "-sent_at"], name="phonecode_ip_idx"),
        ]

    def __str__(self):
        return f"{self.phone} {self.sent_at:%Y-%m-%d %H:%M}"
