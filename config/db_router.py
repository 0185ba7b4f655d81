"""Read replicas: the public read-only pages and API read from a replica, everything else from the primary.

With DATABASE_REPLICA_URLS set (settings.DATABASE_REPLICAS lists their aliases), ReplicaMiddleware
decides once per request where its reads go, and ReplicaRouter follows that decision:

- a GET or HEAD of one of REPLICA_VIEWS reads from a replica (one picked at random per request);
- everything else reads from the primary ("default"): staff pages, the admin, forms, any POST;
- a request whose client wrote in the last REPLICA_STICKY_SECONDS reads from the primary too, so an
  organiser who has just booked sees the booking on the site page even while the replica lags: any write
  (the router sees every one) marks the response with the RECENT_WRITE_COOKIE, holding the time;
- within a request, the first write moves its remaining reads to the primary as well;
- writes always go to the primary.

The decision lives in context variables set and reset by the middleware around each request: nothing is
shared between requests or threads (gunicorn's gthread workers serve several at once).
"""

import contextvars
import random
import time

from django.conf import settings
from django.urls import Resolver404, resolve

PRIMARY = "default"
RECENT_WRITE_COOKIE = "recent_write"

# The public read-only pages and API: what a resident's phone asks, where a second's lag is harmless.
REPLICA_VIEWS = frozenset(
    {
        "sites:home",
        "sites:site-list",
        "sites:site-detail",
        "sites:area-index",
        "sites:area-detail",
        "sites:api-site-collection",
        "sites:api-site-detail",
        "sites:api-area-list",
        "projects:gongshi-index",
        "projects:gongshi-area",
        "projects:gongshi-community",
        "projects:gongshi-community-csv",
        "projects:gongshi-community-xlsx",
        "projects:showcase",
    }
)
# Every GET of these URL namespaces reads from a replica (Open311 lands with the demands issue).
REPLICA_NAMESPACES = frozenset({"open311"})

_read_alias = contextvars.ContextVar("read_alias", default=PRIMARY)
_wrote = contextvars.ContextVar("wrote", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return PRIMARY if _wrote.get() else _read_alias.get()

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # a replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # replicas follow the primary's schema through replication


def reads_from_replica():
    """True while the current request's reads go to a replica."""
    return not _wrote.get() and _read_alias.get() != PRIMARY


def wrote_recently(request, now=None):
    try:
        written_at = float(request.COOKIES.get(RECENT_WRITE_COOKIE, ""))
    except ValueError:
        return False
    return ((now or time.time()) - written_at) < settings.REPLICA_STICKY_SECONDS


def is_replica_view(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in REPLICA_VIEWS or bool(REPLICA_NAMESPACES & set(match.namespaces))


def read_alias_for(request):
    replicas = settings.DATABASE_REPLICAS
    if (
        replicas
        and request.method in ("GET", "HEAD")
        and not wrote_recently(request)
        and is_replica_view(request)
    ):
        return random.choice(replicas)
    return PRIMARY


class ReplicaMiddleware:
    """Before the session middleware, so the session's own save counts as a write of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        read_token = _read_alias.set(read_alias_for(request))
        wrote_token = _wrote.set(False)
        try:
            response = self.get_response(request)
            wrote = _wrote.get()
        finally:
            _read_alias.reset(read_token)
            _wrote.reset(wrote_token)
        if wrote and settings.DATABASE_REPLICAS:
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                f"{time.time():.3f}",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
