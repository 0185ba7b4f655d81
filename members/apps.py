from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "账号与组织"

    def ready(self):
        # Django's Group admin: accounts are this app's part (members.User replaces auth.User).
        import django.contrib.auth.admin  # noqa: F401

        from sites.page_cache import depends_on

        # The admin uses SimpleAdminConfig (no autodiscovery, see INSTALLED_APPS), so each app registers
        # its own ModelAdmins here; being registered before checks run, they get the admin's system checks.
        # roster_admin: party members and their reporting.
        # lockout_admin: django-axes' login lockouts, for superusers to see and unlock.
        # points_admin: volunteers, service records, the points ledger, rewards and rankings.
        # meeting_admin: 组织生活 (meetings, compliance rules, terms).
        from . import admin, lockout_admin, meeting_admin, points_admin, roster_admin  # noqa: F401

        depends_on("sites:site-detail", "members.Organization")  # a site's page lists its organisations
