"""Prometheus metrics at /metrics: request latency by view, task counts, the notification outbox's backlog.

prometheus_client's registry is per process. Under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty
directory, emptied at each start; config/deploy/gunicorn.conf.py does both) and every worker writes its
samples there, so one scrape reports the whole host whichever worker answers it.

Only addresses in METRICS_ALLOWED_IPS (single addresses or networks, e.g. 10.0.0.0/24) may read it, as
config/client_ip.py sees the client behind the proxy; anyone else gets a 403.

For the task queue: `record_task(name, state)` counts a task that succeeded, failed or was retried
(config/celery.py connects it to Celery's task_success / task_failure / task_retry signals). The outbox
backlog is computed at scrape time from `members.Notification.objects.pending()`.
"""

import ipaddress
import os
import time

from django.apps import apps
from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .client_ip import client_ip

REQUEST_LATENCY = Histogram(
    "haitang_request_duration_seconds",
    "Time from the request's arrival to its response, by view (URL name) and method.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
REQUESTS = Counter(
    "haitang_requests_total",
    "Requests answered, by view, method and status class.",
    ["view", "method", "status"],
)
TASKS = Counter(
    "haitang_tasks_total", "Background tasks finished, by task name and state.", ["task", "state"]
)
TASK_STATES = ("succeeded", "failed", "retried")


def record_task(name, state):
    if state not in TASK_STATES:
        raise ValueError(f"state must be one of {TASK_STATES}")
    TASKS.labels(task=name, state=state).inc()


class MetricsMiddleware:
    """First in MIDDLEWARE, so the latency covers everything the other middleware does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # URL names, not paths: one series per view, however many ids are asked for.
        view = (match.view_name if match else "") or "<unmatched>"
        REQUEST_LATENCY.labels(view=view, method=request.method).observe(time.perf_counter() - started)
        REQUESTS.labels(view=view, method=request.method, status=f"{response.status_code // 100}xx").inc()
        return response


class OutboxBacklogCollector:
    """haitang_outbox_backlog: notifications not yet delivered, counted when Prometheus scrapes."""

    def collect(self):
        pending = apps.get_model("members", "Notification").objects.pending().count()
        gauge = GaugeMetricFamily("haitang_outbox_backlog", "Notifications waiting to be delivered.")
        gauge.add_metric([], pending)
        yield gauge


def _allowed(request):
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(allowed, strict=False) for allowed in settings.METRICS_ALLOWED_IPS)


def _registry():
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry


def metrics(request):
    if not _allowed(request):
        return HttpResponseForbidden("禁止访问：您的地址不在 METRICS_ALLOWED_IPS 允许的范围内。")
    registry = _registry()
    body = generate_latest(registry)
    outbox = CollectorRegistry()
    outbox.register(OutboxBacklogCollector())
    body += generate_latest(outbox)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
