"""Reward.stocked: all a reward was ever stocked with, so `reconcile` can check its stock.

Existing rewards never recorded their restocks; what they were stocked with is what they hold now plus
what their live redemptions (reserved, handed over) took, which is exactly what makes them reconcile.
"""

from django.db import migrations, models
from django.db.models import Count, F, Q


def fill_stocked(apps, schema_editor):
    Reward = apps.get_model("members", "Reward")
    holding = Q(redemptions__status__in=["reserved", "handed_over"])
    for reward in Reward.objects.annotate(held=Count("redemptions", filter=holding)).iterator():
        Reward.objects.filter(pk=reward.pk).update(stocked=F("stock") + reward.held)


class Migration(migrations.Migration):
    dependencies = [("members", "0007_merge_points")]

    operations = [
        migrations.AddField(
            model_name="reward",
            name="stocked",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="累计入库"),
        ),
        migrations.RunPython(fill_stocked, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="reward",
            constraint=models.CheckConstraint(
                condition=models.Q(("stock__lte", models.F("stocked"))),
                name="reward_stock_within_stocked",
                violation_error_message="库存不能超过累计入库数量。",
            ),
        ),
    ]
