"""Admin imports run as tasks: the upload is stored with an ImportJob, a worker runs the same
`sites.imports` function as the command, and the admin's progress page follows it.

The import writes in one transaction, so its progress can't be read from the job's row until the end:
while it runs, rows done and total go to the shared cache (Redis with REDIS_URL) under the job's key,
and the row gets them with the result. With no REDIS_URL the task runs inside the upload request, and
the progress page shows the result at once.
"""

import logging
from functools import partial

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


def run(pk):
    """Run job `pk` if it is still queued (a second delivery of the task does nothing)."""
    if not ImportJob.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING):
        return
    job = ImportJob.objects.select_related("created_by").get(pk=pk)

    def report(done, total):
        cache.set(_progress_key(pk), [done, total], timeout=24 * 3600)

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
    done, total = cache.get(_progress_key(pk)) or (0, 0)
    ImportJob.objects.filter(pk=pk).update(**fields, done=done, total=total, finished_at=timezone.now())
    cache.delete(_progress_key(pk))


def progress(job):
    """What the progress page and its JSON show: status, rows done of total, and when finished the result."""
    done, total = (job.done, job.total) if job.finished else cache.get(_progress_key(job.pk)) or (0, 0)
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": done,
        "total": total,
        "finished": job.finished,
        "result": str(ImportResult(**job.result)) if job.status == ImportStatus.DONE else "",
        "errors": len(job.errors),
    }
