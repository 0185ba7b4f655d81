from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "账号与组织"
