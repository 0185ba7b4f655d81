"""django-axes' app under a Chinese name in the admin's app list (axes gives its app none)."""

from axes.apps import AppConfig


class LoginProtectionConfig(AppConfig):
    verbose_name = "登录保护"
