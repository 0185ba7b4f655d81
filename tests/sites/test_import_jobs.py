"""Admin imports as tasks (sites/import_jobs.py): 5,000 sites through the admin end as the command does."""

import contextlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from sites import import_jobs
from sites.models import ImportJob, ImportStatus, Site
from tests.factories import CityFactory, CommunityFactory, DistrictFactory, StaffFactory, TownFactory

pytestmark = pytest.mark.django_db

HEADER = "名称,层级,区域编码,地址,纬度,经度,电话,功能,建设标准,开放时间\n"
ROWS = 5000


@pytest.fixture
def district():
    gusu = DistrictFactory(parent=CityFactory(code="320500000000"), name="姑苏区", code="320508000000")
    town = TownFactory(parent=gusu, code="320508101000")
    for n in range(1, 21):
        CommunityFactory(parent=town, code=f"320508101{n:03d}")
    return gusu


def city_file(bad_lines=()):
    """ROWS sites over 20 communities; the rows at `bad_lines` (file line numbers) have a bad tier."""
    lines = [HEADER]
    for i in range(ROWS):
        tier = "党群服务塔" if i + 2 in bad_lines else ("党群服务站", "党群服务点")[i % 2]
        lines.append(
            f"第{i}号阵地,{tier},320508101{i % 20 + 1:03d},姑苏区某路 {i} 号,"
            f"31.{300000 + i},120.{600000 + i},0512-6{i:07d},"
            "政治引领;党群服务,基本标准,周一至周五 09:00-17:00\n"
        )
    return "".join(lines).encode()


def site_rows():
    fields = [
        f.attname for f in Site._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")
    ]
    return sorted(Site.objects.values_list(*fields))


def command(path):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.suppress(CommandError):  # a bad file: its rows are on stderr
        call_command("import_sites", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def admin_import(client, data, captured):
    with captured(execute=True):
        response = client.post(
            reverse("admin:sites_site_import"), {"file": SimpleUploadedFile("sites.csv", data)}
        )
    return ImportJob.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the same function either way, whatever the database: on SQLite only (10,000 row writes take "
    "minutes on PostgreSQL; the smaller admin import tests run there)",
)
def test_5000_sites_from_the_admin_end_with_the_same_rows_as_the_command(
    client, district, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory(role="district_admin", area=district))
    data = city_file()
    path = tmp_path / "sites.csv"
    path.write_bytes(data)
    with transaction.atomic():  # the command's rows, then rolled back (cheaper than deleting 5,000)
        out, _ = command(path)
        through_command = site_rows()
        transaction.set_rollback(True)
    assert f"阵地导入完成：新增 {ROWS} 条，更新 0 条。" in out
    assert "正在导入阵地：0/5000 行（0%）" in out and "正在导入阵地：2500/5000 行（50%）" in out
    assert not Site.objects.exists()
    job = admin_import(client, data, django_capture_on_commit_callbacks)
    assert (job.status, job.done, job.total, job.result) == (
        ImportStatus.DONE,
        ROWS,
        ROWS,
        {"created": ROWS, "updated": 0},
    )
    page = client.get(reverse("admin:sites_site_import_job", args=[job.pk])).content.decode()
    assert f"导入阵地完成：新增 {ROWS} 条，更新 0 条。共处理 {ROWS} 行" in page
    assert len(through_command) == ROWS and site_rows() == through_command


def test_a_bad_file_names_the_same_rows_in_the_admin_as_in_the_command(
    client, district, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory(role="district_admin", area=district))
    data = city_file(bad_lines=(2, 2500, ROWS + 1))
    job = admin_import(client, data, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.FAILED and not Site.objects.exists()
    path = tmp_path / "sites.csv"
    path.write_bytes(data)
    _, err = command(path)
    from_command = err.strip().splitlines()
    assert [f"第 {e['line']} 行：{e['message']}" for e in job.errors] == from_command
    assert [e["line"] for e in job.errors] == [2, 2500, ROWS + 1]
    page = client.get(reverse("admin:sites_site_import_job", args=[job.pk]))
    assert (
        page.status_code == 400
        and "第 2500 行" in page.content.decode()
        and "未导入任何数据" in page.content.decode()
    )


def test_a_running_job_shows_its_progress_and_a_second_run_does_nothing(client, district):
    staff = StaffFactory(role="district_admin", area=district)
    client.force_login(staff)
    job = import_jobs.start_import(
        kind="sites", upload=SimpleUploadedFile("s.csv", city_file()[:2000]), user=staff
    )
    # Queued (on_commit not run in this test's transaction): the page shows the bar and its JSON.
    page = client.get(reverse("admin:sites_site_import_job", args=[job.pk])).content.decode()
    assert "<progress" in page and "js/admin/import_progress.js" in page and "排队中" in page
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    import_jobs.cache.set(f"import-job:{job.pk}:progress", [300, 900])
    state = client.get(reverse("admin:sites_site_import_progress", args=[job.pk])).json()
    assert (state["status"], state["done"], state["total"], state["finished"]) == ("running", 300, 900, False)
    import_jobs.run(job.pk)  # not queued any more: nothing happens
    assert not Site.objects.exists()


def test_the_broker_down_fails_the_job_with_a_message(
    client, district, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr("sites.tasks.run_import_job.delay", refuse)
    client.force_login(StaffFactory(role="district_admin", area=district))
    job = admin_import(client, city_file()[:500], django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.FAILED and "后台任务服务暂时不可用" in job.errors[0]["message"]
