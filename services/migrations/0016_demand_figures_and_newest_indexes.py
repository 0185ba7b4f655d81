"""Two indexes on the demands: one the figures read a subtree's year from (covering every column they
count), one for the newest first across the city (Open311 requests.json)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0015_merge_indicators_need_photos_demand_channel"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="demand",
            index=models.Index(
                fields=["community", "submitted_at"],
                include=(
                    "status",
                    "category",
                    "grid",
                    "deadline",
                    "resolved_at",
                    "working_days_taken",
                    "reopen_count",
                    "id",
                ),
                name="demand_figures_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="demand",
            index=models.Index(fields=["submitted_at", "id"], name="demand_newest_idx"),
        ),
    ]
