"""A project's needs become links to the 需求清单 (services.Need) instead of free text.

The text is kept: each project's old text becomes one Need of its community (closed: it was answered
by the project, so it never goes on the board; no recorder: nobody typed it into the list), linked to
the project. Going back writes the linked needs' descriptions into the text again and removes the
needs this migration made.
"""

from django.db import migrations, models

CARRIED_KIND = "other"
CATEGORIES = {"party_building", "public_service", "self_governance"}


def carry_over(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Need = apps.get_model("services", "Need")
    for project in Project.objects.exclude(needs_text="").iterator(chunk_size=500):
        text = project.needs_text.strip()
        if not text:
            continue
        first_line = text.splitlines()[0].strip()
        need = Need.objects.create(
            community_id=project.community_id,
            created_by=None,
            title=first_line[:100],
            description=text,
            category=project.category if project.category in CATEGORIES else "public_service",
            kind=CARRIED_KIND,
            quantity=1,
            unit="项",
            status="closed",
        )
        project.needs.add(need)


def carry_back(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Need = apps.get_model("services", "Need")
    for project in Project.objects.filter(needs__isnull=False).distinct().iterator(chunk_size=500):
        texts = [d or t for d, t in project.needs.order_by("pk").values_list("description", "title")]
        Project.objects.filter(pk=project.pk).update(needs_text="\n".join(texts))
    # Only the columns this migration knows: going back from a later schema, Need may have lost others
    # (its photo moved to NeedPhoto), and deleting loads the rows because signal receivers listen.
    carried = Need.objects.filter(created_by__isnull=True, status="closed", kind=CARRIED_KIND).only("pk")
    Project.needs.through.objects.filter(need__in=carried).delete()
    carried.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_change_history"),
        ("services", "0010_need_recorder_optional"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalproject", name="needs"),
        migrations.RenameField(model_name="project", old_name="needs", new_name="needs_text"),
        migrations.AddField(
            model_name="project",
            name="needs",
            field=models.ManyToManyField(
                blank=True,
                help_text="本社区需求清单中的需求，如：老年人就餐难。",
                related_name="projects",
                to="services.need",
                verbose_name="回应的群众需求",
            ),
        ),
        migrations.RunPython(carry_over, carry_back),
        migrations.RemoveField(model_name="project", name="needs_text"),
    ]
