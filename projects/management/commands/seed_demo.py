"""Demo data for every app, composed here because `projects` is the top layer and may import them all.

Each app exposes `<app>.demo.seed(*, scale, stdout)`; this command runs them bottom layer first in one
transaction, so an interrupted seed leaves nothing half-written.
"""

import time
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from sites.models import Area

# Bottom layer first: each app's demo data refers to the layers below it.
APPS = ["sites", "members", "services", "projects"]


class Command(BaseCommand):
    help = "载入苏州演示数据；--scale city 生成全市规模数据（约 5,100 个阵地），用于压力测试。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=["demo", "city"], default="demo", help="demo：文章中的真实名称；city：全市规模"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库已有区域数据时什么也不做（供 make run 使用）"
        )

    def handle(self, *args, scale, if_empty, **options):
        if if_empty and Area.objects.exists():
            self.stdout.write("已有数据，跳过演示数据。")
            return
        demos = []
        for app in APPS:
            try:
                demos.append((app, import_module(f"{app}.demo")))
            except ModuleNotFoundError:
                continue
        with transaction.atomic():
            # Progress: the city scale takes minutes, so say which part is being built and how long each took.
            for n, (app, demo) in enumerate(demos, 1):
                self.stdout.write(f"[{n}/{len(demos)}] 正在载入 {app} 的演示数据…")
                started = time.monotonic()
                demo.seed(scale=scale, stdout=self.stdout)
                took = time.monotonic() - started
                self.stdout.write(f"[{n}/{len(demos)}] {app} 完成，用时 {took:.1f} 秒。")
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入（{scale}）。"))
