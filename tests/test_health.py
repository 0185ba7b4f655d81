"""/healthz, /readyz (503 naming the part that is down), /metrics (allow-list), request ids, JSON logs."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from config import health, metrics
from config.request_log import JsonFormatter, RequestIdFilter, RequestIdMiddleware, _forget_request_id
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def closed_port():
    """A port nothing listens on: bound once by us, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.django_db
def test_readyz_all_parts_ready(client):
    response = client.get(reverse("readyz"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert {"database", "migrations", "cache"} <= set(body["checks"])
    assert "broker" not in body["checks"]  # no REDIS_URL: tasks run in the web process
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_503_names_redis_when_it_is_down(client):
    down = f"redis://127.0.0.1:{closed_port()}/6"
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": down}}
    # Restored inside the test: the autouse fixtures clear the cache afterwards.
    with override_settings(REDIS_URL=down, CACHES=redis_cache):
        response = client.get(reverse("readyz"))
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "fail" and set(body["failing"]) == {"cache", "broker"}
    assert body["checks"]["broker"]["message"].startswith("任务队列（Redis）不可用：")
    assert body["checks"]["cache"]["message"].startswith("缓存不可用")
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_readyz_503_when_a_migration_is_not_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    plan = [(type("Migration", (), {"app_label": "services", "name": "0099_new"})(), False)]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: plan)
    response = client.get(reverse("readyz"))
    body = response.json()
    assert response.status_code == 503 and body["failing"] == ["migrations"]
    assert "services.0099_new" in body["message"] and "manage.py migrate" in body["message"]


def test_readyz_503_names_postgresql_when_it_is_down():
    """A process whose DATABASE_URL and REDIS_URL point at closed ports: both are named, nothing crashes."""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/haitang",
        "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/6",
    }
    env.pop("DATABASE_REPLICA_URLS", None)
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/readyz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    body = answer["body"]
    assert {"database", "broker", "cache"} <= set(body["failing"])
    assert body["checks"]["database"]["message"].startswith("主数据库不可用：")
    assert "主数据库不可用" in body["message"] and "任务队列（Redis）不可用" in body["message"]


@pytest.mark.django_db
def test_metrics_latency_by_view_for_allowed_addresses_only(client, settings):
    client.get(reverse("sites:area-index"))
    response = client.get("/metrics")  # the test client comes from 127.0.0.1, allowed by default
    assert response.status_code == 200
    text = response.content.decode()
    assert 'haitang_request_duration_seconds_count{method="GET",view="sites:area-index"}' in text
    assert 'haitang_requests_total{method="GET",status="2xx",view="sites:area-index"}' in text

    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16"]
    refused = client.get("/metrics")
    assert refused.status_code == 403 and "METRICS_ALLOWED_IPS" in refused.content.decode()
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 200
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3, 192.0.2.9").status_code == 403


@pytest.mark.django_db
def test_task_counts_for_the_job_queue(client):
    metrics.record_task("members.deliver_notification", "failed")
    text = client.get("/metrics").content.decode()
    assert 'haitang_tasks_total{state="failed",task="members.deliver_notification"}' in text
    with pytest.raises(ValueError):
        metrics.record_task("x", "lost")


@pytest.mark.django_db
def test_a_task_run_is_counted_through_celerys_signals(client):
    from members.tasks import sweep_notifications

    sweep_notifications.apply()  # eagerly, as a worker would: the signals fire the same way
    text = client.get("/metrics").content.decode()
    assert 'haitang_tasks_total{state="succeeded",task="members.tasks.sweep_notifications"}' in text


@pytest.mark.django_db
def test_outbox_backlog_is_counted_at_scrape(client):
    from members.models import Notification

    user = UserFactory()
    for n, status in enumerate(["pending", "pending", "sent", "failed"]):
        Notification.objects.create(
            recipient=user, channel="email", template="booking_status", context={}, key=f"k{n}", status=status
        )
    assert "haitang_outbox_backlog 2.0" in client.get("/metrics").content.decode()


def test_request_id_on_the_response_and_in_json_log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.request_id")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def view(request):
        logger.info("预约已保存")
        return HttpResponse("ok")

    middleware = RequestIdMiddleware(view)
    try:
        given = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="nginx-0123456789abcdef"))
        made = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="bad id\nwith newline"))
        _forget_request_id(sender=None)  # on request_finished, when Django closes the response
        logger.info("outside a request")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert given["X-Request-ID"] == "nginx-0123456789abcdef"
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != "bad id\nwith newline"
    assert [line["request_id"] for line in lines] == [given["X-Request-ID"], made["X-Request-ID"], "-"]
    assert lines[0]["message"] == "预约已保存" and lines[0]["level"] == "INFO"


def test_production_logs_are_json():
    env = {**os.environ, "PRODUCTION": "true", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.cn"}
    env["ID_NUMBER_HASH_KEY"] = "y" * 50
    script = "import django, logging; django.setup();logging.getLogger('x').warning('出错了')"
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    line = json.loads(run.stderr.strip().splitlines()[-1])
    assert line["message"] == "出错了" and line["request_id"] == "-" and line["level"] == "WARNING"
