"""Admin imports run as tasks: the upload is stored with an ImportJob, a worker runs the same
`sites.imports` function as the command, and the admin's progress page follows it.

The import writes in one transaction, so its progress can't be read from the job's row until the end:
while it runs, rows done and total go to the shared cache (Redis with REDIS_URL) under the job's key,
and the row gets them with the result. With no REDIS_URL the task runs inside the upload request, and
the progress page shows the result at once.

A job ends (done or failed) with its uploaded file deleted: the file may name people and phones, and the
job's row keeps all it needs (result, bad rows). `sweep` (on the beat schedule) ends what a dead worker
left: a job queued or running with no progress for IMPORT_JOB_STALL_MINUTES is marked failed and its
owner told, and any finished job's file still on disk is deleted.
"""

import datetime as dt
import logging
import time
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .imports import ImportFailed, ImportResult, import_areas, import_sites
from .models import ImportJob, ImportKind, ImportStatus

logger = logging.getLogger(__name__)

# The member roster's importer lives in the members app, above this one: named, and imported when run.
IMPORTERS = {
    ImportKind.AREAS: import_areas,
    ImportKind.SITES: import_sites,
    ImportKind.MEMBERS: "members.roster_import.import_members",
}


def importer_of(kind):
    found = IMPORTERS[kind]
    return import_string(found) if isinstance(found, str) else found


def _progress_key(pk):
    return f"import-job:{pk}:progress"


def start_import(*, kind, upload, user):
    """Store `upload` as a queued ImportJob of `user` and hand it to a worker once committed."""
    job = ImportJob(kind=kind, filename=upload.name[-255:], created_by=user)
    job.file.save(upload.name, upload, save=False)
    job.save()
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(pk):
    from .tasks import run_import_job

    try:
        run_import_job.delay(pk)
    except Exception:  # the broker is unreachable (kombu raises several kinds): say so, never hang
        logger.warning("导入任务 #%s 未能交给后台任务", pk, exc_info=True)
        _finish(pk, status=ImportStatus.FAILED, errors=[{"line": 1, "message": BROKER_DOWN}])


BROKER_DOWN = "后台任务服务暂时不可用，未导入任何数据；请稍后重新上传。"
UNEXPECTED = "导入时发生意外错误，未导入任何数据；请稍后重试，或把文件交给管理员查看。"


def _report(pk, done, total):
    """Rows done of total, and when (the sweep's sign of life), for the progress page and `sweep`."""
    cache.set(_progress_key(pk), [done, total, time.time()], timeout=24 * 3600)


def _progress_of(pk):
    """(done, total, last progress as a Unix time or None) while the job runs."""
    done, total, *at = cache.get(_progress_key(pk)) or (0, 0)
    return done, total, at[0] if at else None


def run(pk):
    """Run job `pk` if it is still queued (a second delivery of the task does nothing)."""
    if not ImportJob.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING):
        return
    _report(pk, 0, 0)  # started: the stall clock counts from here, not from the upload
    job = ImportJob.objects.select_related("created_by").get(pk=pk)
    report = partial(_report, pk)

    try:
        with job.file.open("rb") as handle:
            result = importer_of(job.kind)(
                file=handle, filename=job.filename, user=job.created_by, report=report
            )
    except ImportFailed as failure:
        _finish(
            pk,
            status=ImportStatus.FAILED,
            errors=[{"line": e.line, "message": e.message} for e in failure.errors],
        )
    except Exception:  # a bug or a lost database: the job must end, not stay "导入中" for ever
        logger.exception("导入任务 #%s 失败", pk)
        _finish(pk, status=ImportStatus.FAILED, errors=[{"line": 1, "message": UNEXPECTED}])
    else:
        _finish(pk, status=ImportStatus.DONE, result={"created": result.created, "updated": result.updated})


def _finish(pk, **fields):
    done, total, _ = _progress_of(pk)
    ImportJob.objects.filter(pk=pk).update(**fields, done=done, total=total, finished_at=timezone.now())
    cache.delete(_progress_key(pk))
    job = ImportJob.objects.filter(pk=pk).first()  # its owner's account may be gone, and the job with it
    if job is not None:
        _delete_file(job)


def _delete_file(job):
    """The upload is not needed once the job has ended; the row keeps its name (`filename`)."""
    if job.file:
        job.file.delete(save=False)  # a file already gone is no error for the storage
        ImportJob.objects.filter(pk=job.pk).update(file="")


STALLED = "导入失败，请重新导入：后台任务 {minutes} 分钟没有进展（可能已中断），未导入任何数据。"


def sweep(*, now=None):
    """End the jobs a dead worker left (queued or running, no progress for IMPORT_JOB_STALL_MINUTES:
    failed, owner told) and delete the files of finished jobs. Idempotent: each job is ended by a
    conditional UPDATE that only matches while it is still open, so it is failed and told once.
    Returns how many jobs were failed and how many files deleted."""
    now = now or timezone.now()
    minutes = settings.IMPORT_JOB_STALL_MINUTES
    cutoff = now - dt.timedelta(minutes=minutes)
    failed = 0
    open_jobs = ImportJob.objects.filter(
        status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING], created_at__lt=cutoff
    ).select_related("created_by")
    for job in open_jobs:
        done, total, at = _progress_of(job.pk)
        if at is not None and at >= cutoff.timestamp():
            continue  # still reporting progress: a long import, alive
        failed += _fail_stalled(job, done, total, now, STALLED.format(minutes=minutes))
    leftover = ImportJob.objects.filter(status__in=[ImportStatus.DONE, ImportStatus.FAILED]).exclude(file="")
    files = 0
    for job in leftover:
        _delete_file(job)
        files += 1
    return {"failed": failed, "files_deleted": files}


def _fail_stalled(job, done, total, now, message):
    from members.notify import notify  # the members app sits above this one: imported when needed

    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ImportStatus.FAILED,
            errors=[{"line": 1, "message": message}],
            done=done,
            total=total,
            finished_at=now,
        ):
            return 0  # the worker finished it, or another sweep failed it, meanwhile
        notify(
            recipient=job.created_by,
            template="import_stalled",
            context={"what": job.get_kind_display(), "filename": job.filename, "message": message},
            key=f"import-job:{job.pk}:stalled",
        )
    cache.delete(_progress_key(job.pk))
    _delete_file(job)
    return 1


def progress(job):
    """What the progress page and its JSON show: status, rows done of total, and when finished the result."""
    done, total = (job.done, job.total) if job.finished else _progress_of(job.pk)[:2]
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": done,
        "total": total,
        "finished": job.finished,
        "result": str(ImportResult(**job.result)) if job.status == ImportStatus.DONE else "",
        "errors": len(job.errors),
    }
