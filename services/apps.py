from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "阵地服务"
