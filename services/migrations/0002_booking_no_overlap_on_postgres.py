"""Two live bookings of one room never overlap: an exclusion constraint, on PostgreSQL only.

SQLite has no exclusion constraints; there `services.booking` checks and inserts in one IMMEDIATE
transaction. The constraint is therefore not in the model's Meta (the migration state would then
differ between databases); it is added here, and `makemigrations --check` stays clean on both.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Func, Q

NAME = "booking_no_overlap_live"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def constraint():
    return ExclusionConstraint(
        name=NAME,
        expressions=[
            ("venue", RangeOperators.EQUAL),
            (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=Q(status__in=["pending", "confirmed"]),
        violation_error_message="该时段已被预约。",
    )


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_constraint(apps.get_model("services", "Booking"), constraint())


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_constraint(apps.get_model("services", "Booking"), constraint())


class Migration(migrations.Migration):
    dependencies = [("services", "0001_booking_rules_bookings_series_feeds")]

    operations = [
        # btree_gist first: it lets the GiST index compare the room id with "=" next to the range.
        BtreeGistExtension(),  # a no-op on databases other than PostgreSQL
        migrations.RunPython(add, remove),
    ]
