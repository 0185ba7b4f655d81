"""django-axes' app under a Chinese name in the admin's app list (axes gives its app none), its log
rows named in Chinese."""

from axes.apps import AppConfig
from django.utils import timezone


class LoginProtectionConfig(AppConfig):
    verbose_name = "登录保护"

    def ready(self):
        super().ready()
        from axes.models import AccessLog

        # axes names a log row in English ("Access Log for …"), without gettext: its admin's title and
        # its rows' checkboxes read that name out.
        AccessLog.__str__ = _log_name


def _log_name(log):
    return f"{log.username} 的登录记录（{timezone.localtime(log.attempt_time):%Y-%m-%d %H:%M}）"
