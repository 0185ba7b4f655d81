"""The escalated demands still open (督办), indexed alone: the street pages' 待办 badge counts them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0016_demand_figures_and_newest_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="demand",
            index=models.Index(
                condition=models.Q(
                    ("escalated_at__isnull", False), ("status__in", ("accepted", "dispatched", "taken"))
                ),
                fields=["community", "deadline"],
                name="demand_escalated_idx",
            ),
        ),
    ]
