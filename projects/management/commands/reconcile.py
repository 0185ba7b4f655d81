"""`manage.py reconcile`: recompute every stored counter from its ledger and report each difference.

The checks are registered by each app's `reconcile.py` (sites/reconcile.py has the registry); this
command sits in `projects`, the top app, only because that is where commands that see every app live.
Exit status 0 when every counter agrees, 1 when any differs (for cron and CI).
"""

from django.core.management.base import BaseCommand, CommandError

from sites.reconcile import checks


class Command(BaseCommand):
    help = "核对所有计数（已核拨、已支出等）与其流水明细是否一致；有差异时列出并以状态码 1 退出。"

    def handle(self, *args, **options):
        found = 0
        for check in checks():
            differences = check.run()
            found += len(differences)
            if not differences:
                self.stdout.write(f"✓ {check.label}：一致")
                continue
            self.stdout.write(self.style.ERROR(f"✗ {check.label}：{len(differences)} 处不一致"))
            for difference in differences:
                self.stdout.write(f"  {difference}")
        if found:
            raise CommandError(f"共发现 {found} 处计数与流水不一致。", returncode=1)
        self.stdout.write(self.style.SUCCESS("全部计数与流水一致。"))
