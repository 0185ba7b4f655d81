"""Fill PointsMonth from the ledger for the entries posted before the roll-up existed."""

from django.db import migrations
from django.db.models import DateField, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone


def fill(apps, schema_editor):
    PointsEntry = apps.get_model("members", "PointsEntry")
    PointsMonth = apps.get_model("members", "PointsMonth")
    month = TruncMonth("at", output_field=DateField(), tzinfo=timezone.get_current_timezone())
    rows = (
        PointsEntry.objects.filter(kind="earn")
        .order_by()
        .values_list("volunteer__community", month)
        .annotate(total=Sum("amount"))
    )
    PointsMonth.objects.bulk_create(
        (PointsMonth(community_id=community, month=day, earned=total) for community, day, total in rows),
        batch_size=5000,
    )


def empty(apps, schema_editor):
    apps.get_model("members", "PointsMonth").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0013_points_months")]

    operations = [migrations.RunPython(fill, empty)]
