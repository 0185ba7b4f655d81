from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "为民服务项目"

    def ready(self):
        # The admin uses SimpleAdminConfig (no autodiscovery, see INSTALLED_APPS), so each app registers
        # its own ModelAdmins here; being registered before checks run, they get the admin's system checks.
        from sites import area_panels
        from sites.page_cache import depends_on

        from . import admin  # noqa: F401
        from .area_dashboard import PUBLIC_MODELS, public_panel

        # The area page (sites) shows this year's public figures of every app: composed here, at the top.
        area_panels.register(public_panel)
        depends_on("sites:area-detail", *PUBLIC_MODELS)
