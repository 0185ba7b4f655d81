from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "为民服务项目"

    def ready(self):
        # The admin uses SimpleAdminConfig (no autodiscovery, see INSTALLED_APPS), so each app registers
        # its own ModelAdmins here; being registered before checks run, they get the admin's system checks.
        from . import admin  # noqa: F401
