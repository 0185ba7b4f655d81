from django.core.management.base import CommandError

from members.models import User
from members.roster_import import import_members
from sites.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = (
        "从 CSV 或 .xlsx 导入党员名册；按身份证号指纹匹配，重复导入只更新（组织关系变化记为转接）。"
        "以 --user 指定的账号办理：只能导入该账号管辖范围内的党组织，修改记录记在其名下。"
    )
    importer = import_members
    what = "党员"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--user",
            required=True,
            help="以哪个账号的名义导入（用户名）：工作人员只能导入其负责区域内的党组织，超级管理员不限",
        )

    def importer_options(self, options):
        # The roster's write path (members/roster.py) checks and records who enrols and moves members,
        # so the command acts as a named account rather than as no one.
        user = User.objects.select_related("area").filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"找不到用户“{options['user']}”。")
        if not user.can_manage():
            raise CommandError(f"用户“{user.username}”没有负责区域，不能导入党员名册。")
        return {"user": user}
