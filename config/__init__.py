# The Celery app loads with Django, so `shared_task`s bind to it and `transaction.on_commit(task.delay)`
# reaches the broker (or runs at once with no REDIS_URL).
from .celery import app as celery_app

__all__ = ["celery_app"]
