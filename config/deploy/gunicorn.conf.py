"""gunicorn settings for production: `gunicorn -c config/deploy/gunicorn.conf.py config.wsgi`.

Worker class and count were chosen from `make loadtest` (README, 部署 → 容量): see there for the
figures. Every value can be changed through the environment without editing this file.
"""

import os
import shutil

from prometheus_client import multiprocess

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gthread: a worker's threads overlap their waits on PostgreSQL and Redis; 2 workers per core.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Connections beyond the workers' threads wait in the kernel's queue instead of being refused.
backlog = 2048
timeout = 30
graceful_timeout = 30
# Longer than nginx's upstream keepalive_timeout (60 s, nginx.conf): nginx, not gunicorn, closes an idle
# connection, so a request is never sent on one gunicorn has just closed (a reset, a 502).
keepalive = 75
# A worker is replaced after this many requests (and a random extra, so they don't all restart at once).
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
# The request id nginx sent (and Django echoes), so nginx's, gunicorn's and Django's lines can be matched.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'


def on_starting(server):
    """Empty the metrics folder: samples of a previous run's workers would be summed in."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
