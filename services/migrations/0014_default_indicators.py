"""The three indicators the sources name for every co-building unit (到社区上党课不少于1次,
挂钩联系生活困难群众不少于3家, 每年认领服务项目不少于1个); staff may change N per year afterwards."""

from django.db import migrations

DEFAULTS = [
    ("party-lecture", "到社区上党课", "lectures", 1, "次", 1),
    ("hardship-households", "挂钩联系生活困难群众", "hardship_households", 3, "家", 2),
    ("claimed-projects", "认领服务项目", "claimed_projects", 1, "个", 3),
]


def add_defaults(apps, schema_editor):
    Indicator = apps.get_model("services", "Indicator")
    for code, name, measure, at_least, unit, order in DEFAULTS:
        Indicator.objects.get_or_create(
            code=code,
            defaults={"name": name, "measure": measure, "at_least": at_least, "unit": unit, "order": order},
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("services", "Indicator").objects.filter(code__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("services", "0013_cobuilding_indicators")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
