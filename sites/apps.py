from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = "阵地与区域"

    def ready(self):
        # The admin uses SimpleAdminConfig (no autodiscovery, see INSTALLED_APPS), so each app registers
        # its own ModelAdmins here; being registered before checks run, they get the admin's system checks.
        from . import admin  # noqa: F401
        from .admin_wording import use_chinese_boolean_icons

        use_chinese_boolean_icons()
