"""The fund ledger and the project timeline are append-only in the database itself (sites/append_only.py):
triggers refuse every UPDATE and DELETE, whatever the code path (QuerySet.update/delete, raw SQL)."""

import django.db.models.deletion
from django.db import migrations, models

from sites.append_only import forbid_rewrites


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_year_range_and_expense_date"),
    ]

    operations = [
        # A project with steps can no longer cascade them away: Django refuses with ProtectedError first.
        migrations.AlterField(
            model_name="projectstep",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="steps",
                to="projects.project",
                verbose_name="项目",
            ),
        ),
        forbid_rewrites("projects.FundLedgerEntry", "经费流水只能追加，不能修改或删除；更正请另记一笔。"),
        forbid_rewrites("projects.ProjectStep", "项目步骤记录只能追加，不能修改或删除。"),
    ]
