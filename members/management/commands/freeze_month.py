from django.core.management.base import BaseCommand, CommandError

from members.errors import Refusal
from members.ranking import freeze_month, previous_month


class Command(BaseCommand):
    help = "生成并冻结某月的志愿者每月评优名单（默认上个月）；已生成的月份不会改变。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int, choices=range(1, 13))

    def handle(self, *args, year=None, month=None, **options):
        if (year is None) != (month is None):
            raise CommandError("请同时指定 --year 和 --month，或都不指定（默认上个月）。")
        if year is None:
            year, month = previous_month()
        try:
            written = freeze_month(year, month)
        except Refusal as refusal:
            raise CommandError(refusal.message) from refusal
        if written:
            self.stdout.write(f"{year}年{month}月评优名单已生成：{written} 条。")
        else:
            self.stdout.write(f"{year}年{month}月评优名单此前已生成，未作改动。")
