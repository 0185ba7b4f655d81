"""The sites app's Celery tasks: thin wrappers, the work is in sites/import_jobs.py."""

from celery import shared_task

from . import import_jobs


@shared_task
def run_import_job(pk):
    import_jobs.run(pk)


@shared_task
def sweep_import_jobs():
    """Fail the imports a dead worker left open, and delete finished imports' files."""
    return import_jobs.sweep()
