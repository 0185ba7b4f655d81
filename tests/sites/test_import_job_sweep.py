"""The import jobs' sweep (sites/import_jobs.py: sweep, on the beat schedule): a job whose worker died
is failed and its owner told once; uploaded files are deleted when a job ends, or by the sweep."""

import datetime as dt
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members.models import Notification
from sites import import_jobs
from sites.models import ImportJob, ImportStatus, Site
from sites.tasks import sweep_import_jobs
from tests.factories import CommunityFactory, DistrictFactory, StaffFactory, TownFactory

pytestmark = pytest.mark.django_db

HEADER = "名称,层级,区域编码,地址,纬度,经度\n"
GOOD = (HEADER + "道前社区党群服务站,党群服务站,320508101001,道前街 1 号,31.30,120.60\n").encode()


@pytest.fixture
def staff():
    district = DistrictFactory(code="320508000000")
    CommunityFactory(parent=TownFactory(parent=district, code="320508101000"), code="320508101001")
    return StaffFactory(role="district_admin", area=district)


def job_of(staff, data=GOOD, minutes_ago=0, status=ImportStatus.QUEUED):
    job = import_jobs.start_import(kind="sites", upload=SimpleUploadedFile("s.csv", data), user=staff)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, created_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    job.refresh_from_db()
    return job


def test_a_finished_job_keeps_its_result_but_not_its_file(staff):
    job = job_of(staff)
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    import_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result == {"created": 1, "updated": 0}
    assert job.file.name == "" and not storage.exists(name) and job.filename == "s.csv"
    assert Site.objects.count() == 1


def test_a_failed_job_keeps_its_bad_rows_but_not_its_file(staff):
    job = job_of(staff, data=(HEADER + "某站,党群服务塔,320508101001,道前街 2 号,31.30,120.60\n").encode())
    storage, name = job.file.storage, job.file.name
    import_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.errors[0]["line"] == 2
    assert job.file.name == "" and not storage.exists(name)


def test_a_job_with_no_progress_is_failed_its_owner_told_once(
    staff, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOB_STALL_MINUTES = 30
    dead = job_of(staff, minutes_ago=45, status=ImportStatus.RUNNING)
    never_started = job_of(staff, minutes_ago=31)
    storage, name = dead.file.storage, dead.file.name
    # Progress last reported 40 minutes ago: its worker died mid-way.
    import_jobs.cache.set(f"import-job:{dead.pk}:progress", [200, 900, time.time() - 40 * 60])
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_import_jobs() == {"failed": 2, "files_deleted": 0}
    dead.refresh_from_db()
    assert dead.status == ImportStatus.FAILED and (dead.done, dead.total) == (200, 900)
    assert "失败，请重新导入" in dead.errors[0]["message"] and "30 分钟" in dead.errors[0]["message"]
    assert dead.finished_at is not None and dead.file.name == "" and not storage.exists(name)
    assert ImportJob.objects.get(pk=never_started.pk).status == ImportStatus.FAILED
    told = Notification.objects.filter(recipient=staff, channel="inbox")
    assert sorted(told.values_list("key", flat=True)) == sorted(
        [f"import-job:{dead.pk}:stalled", f"import-job:{never_started.pk}:stalled"]
    )
    assert "阵地导入失败，请重新导入" in told.first().subject
    # A second sweep finds nothing to fail and nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_import_jobs() == {"failed": 0, "files_deleted": 0}
    assert told.count() == 2


def test_a_slow_import_still_reporting_and_a_fresh_upload_are_left_alone(staff, settings):
    settings.IMPORT_JOB_STALL_MINUTES = 30
    slow = job_of(staff, minutes_ago=90, status=ImportStatus.RUNNING)
    import_jobs.cache.set(f"import-job:{slow.pk}:progress", [5000, 90000, time.time() - 60])
    fresh = job_of(staff, minutes_ago=5)
    assert import_jobs.sweep() == {"failed": 0, "files_deleted": 0}
    statuses = set(ImportJob.objects.values_list("status", flat=True))
    assert statuses == {ImportStatus.RUNNING, ImportStatus.QUEUED}
    assert ImportJob.objects.get(pk=fresh.pk).file.name != ""
    assert not Notification.objects.exists()


def test_the_worker_finishing_after_the_sweep_leaves_one_answer(staff, settings):
    """A worker that was only slow, not dead, finishes after the sweep failed the job: its own
    conditional start refuses a second run, and the sweep never fails a finished job."""
    settings.IMPORT_JOB_STALL_MINUTES = 30
    job = job_of(staff, minutes_ago=60)
    import_jobs.sweep()
    import_jobs.run(job.pk)  # the delayed delivery arrives: the job is no longer queued
    assert not Site.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.FAILED


def test_files_left_by_finished_jobs_are_deleted_by_the_sweep(staff):
    job = job_of(staff, status=ImportStatus.DONE)  # e.g. finished before files were deleted at the end
    storage, name = job.file.storage, job.file.name
    assert import_jobs.sweep() == {"failed": 0, "files_deleted": 1}
    assert not storage.exists(name) and ImportJob.objects.get(pk=job.pk).file.name == ""
    assert import_jobs.sweep() == {"failed": 0, "files_deleted": 0}
