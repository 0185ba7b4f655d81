"""The sites app's Celery tasks: thin wrappers, the work is in sites/import_jobs.py."""

from celery import shared_task

from . import import_jobs


@shared_task
def run_import_job(pk):
    import_jobs.run(pk)
