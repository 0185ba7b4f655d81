from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = "阵地与区域"
