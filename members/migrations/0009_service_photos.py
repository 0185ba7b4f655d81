"""Several evidence photos per service record (ServicePhoto). Each record's one photo becomes its first
ServicePhoto, pointing at the same stored file (nothing is copied), before the old column goes."""

import django.db.models.deletion
import members.models.points
import sites.private_storage
from django.db import migrations, models


def keep_single_photos(apps, schema_editor):
    ServiceRecord = apps.get_model("members", "ServiceRecord")
    ServicePhoto = apps.get_model("members", "ServicePhoto")
    with_photo = ServiceRecord.objects.exclude(photo="").values_list("pk", "photo")
    batch = []
    for pk, name in with_photo.iterator():
        batch.append(ServicePhoto(record_id=pk, image=name))
        if len(batch) == 1000:
            ServicePhoto.objects.bulk_create(batch)
            batch = []
    ServicePhoto.objects.bulk_create(batch)


def back_to_single_photos(apps, schema_editor):
    ServiceRecord = apps.get_model("members", "ServiceRecord")
    ServicePhoto = apps.get_model("members", "ServicePhoto")
    first = {}
    for record_id, name in ServicePhoto.objects.order_by("record", "pk").values_list("record", "image"):
        first.setdefault(record_id, name)
    for record_id, name in first.items():
        ServiceRecord.objects.filter(pk=record_id).update(photo=name)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_reward_stocked"),
    ]

    operations = [
        migrations.CreateModel(
            name="ServicePhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "image",
                    models.FileField(
                        help_text="JPG 或 PNG，不超过 5 MB。",
                        storage=sites.private_storage.private_storage,
                        upload_to="members/service/%Y/",
                        validators=[members.models.points.validate_service_photo],
                        verbose_name="照片",
                    ),
                ),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="上传时间")),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="members.servicerecord",
                        verbose_name="服务记录",
                    ),
                ),
            ],
            options={
                "verbose_name": "服务照片",
                "verbose_name_plural": "服务照片",
                "ordering": ["record", "pk"],
            },
        ),
        migrations.RunPython(keep_single_photos, back_to_single_photos),
        migrations.RemoveField(
            model_name="servicerecord",
            name="photo",
        ),
    ]
