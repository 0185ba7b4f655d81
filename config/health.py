"""Probes for the load balancer and the process supervisor: /healthz and /readyz.

/healthz says only that the process answers (a liveness probe restarts a process that doesn't). /readyz
says whether this host can serve: every database (the primary and each replica), the cache, the task
broker (Redis, when REDIS_URL is set) are reachable, and every migration is applied. A load balancer
takes a host that answers 503 out of rotation until it is ready again. The answer is JSON, each part
with a Chinese message naming what failed, so a person reading it knows where to look.

Neither touches the session or the user: they answer even when the database is down.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache

# Seconds a check may take before its part counts as down: a probe must answer before the balancer's.
CHECK_TIMEOUT = 2

_migrations_applied = False  # once applied they stay applied until the next deploy restarts us


def _database(alias):
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations():
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections["default"])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = "、".join(f"{m.app_label}.{m.name}" for m, _backwards in pending[:5])
        raise RuntimeError(f"有 {len(pending)} 个迁移未执行（{names}…），请运行 manage.py migrate")
    _migrations_applied = True


def _cache():
    key, value = f"readyz:{get_random_string(8)}", get_random_string(8)
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("写入后读不回")
    cache.delete(key)


def broker_url():
    """The task broker to check: Redis, when REDIS_URL is set; empty when there is none (tasks then run
    inside the web process, Celery's broker being its in-memory stand-in)."""
    return settings.CELERY_BROKER_URL if settings.REDIS_URL else ""


def _broker():
    import redis

    client = redis.Redis.from_url(
        broker_url(), socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
    )
    try:
        client.ping()
    finally:
        client.close()


def checks():
    """(key, Chinese name, check) for every part this host needs, the primary first."""
    parts = [("database", "主数据库", lambda: _database("default"))]
    parts += [
        (alias, f"只读副本 {alias}", lambda alias=alias: _database(alias))
        for alias in settings.DATABASE_REPLICAS
    ]
    parts += [("migrations", "数据库迁移", _migrations), ("cache", "缓存", _cache)]
    if broker_url():
        parts.append(("broker", "任务队列（Redis）", _broker))
    return parts


def _run(name, check):
    try:
        check()
    except Exception as error:  # any failure of a part makes it "down"; the message says which and why
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return {"ok": False, "name": name, "message": f"{name}不可用：{detail}"}
    return {"ok": True, "name": name, "message": f"{name}正常"}


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok", "message": "进程正常"})


@never_cache
def readyz(request):
    results = {key: _run(name, check) for key, name, check in checks()}
    failing = [key for key, result in results.items() if not result["ok"]]
    body = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "message": "；".join(results[key]["message"] for key in failing) if failing else "一切就绪",
        "checks": results,
    }
    return JsonResponse(body, status=503 if failing else 200, json_dumps_params={"ensure_ascii": False})
