"""Public pages and the map's API served from the shared cache, revalidated by an ETag of their data.

One mechanism for every public read: the response's ETag names the data it shows; a request whose
If-None-Match holds it gets a 304 without the page being built; otherwise the body is looked up in
Django's default cache under that ETag and built only on a miss (`cached_body`; the pages go through
`public_page`, the map's API through `cached_body` directly). The key names the content, so a cached
body is never stale: when the data changes the ETag changes, and the old entry is simply never asked
for again (it expires).

Where the ETag comes from:
- /api/sites/ (sites/api.py): one aggregate of the filtered sites (count, newest `updated_at`);
- the public pages (`public_page`): the *write versions* of the tables the page reads. Every INSERT,
  UPDATE or DELETE on a watched table, whoever issues it (a form, the admin, a domain function's
  conditional `QuerySet.update()`, a bulk import), gives the table a new version in the cache once its
  transaction commits (`_note_writes`, a database execute wrapper). A page that also depends on the clock
  (a site's free slots today, the year on 公示 pages) adds a time bucket.
- a page that shows only one *part* of a table (one day's bookings: free rooms on a date, a site's slots
  today) reads the versions of that part instead of the table's (`depends_on(..., parts=...)`), so a
  booking for next week does not rebuild today's pages. A domain function that knows which parts its
  writes touch names them around the write (`writes_to`); a write to the table that names no part, from
  anywhere else (the admin, a bulk update, a data fix), bumps the table's "any part" version, which every
  reader of a part also holds. So naming parts only narrows what a write rebuilds, never what it reaches.

Table versions are only as shared as the cache: pages are cached when PUBLIC_PAGE_CACHE is on, by
default when REDIS_URL gives every process one cache (with per-process memory caches a write seen by one
gunicorn worker would leave another serving the old page). Writes made outside Django (psql) are not seen.

With read replicas, a page read from a replica within REPLICA_STICKY_SECONDS of a write to its tables is
neither kept nor given an ETag: the replica may not have replayed that write yet.

Only anonymous visitors without a session get the shared copy (a signed-in user's header shows their
name and 待办): any request with a session or messages cookie, or a response that sets a cookie (a CSRF
token, the replica's recent-write mark), bypasses the cache. The cached body holds nothing per request:
the pages' scripts are static ES modules allowed by `script-src 'self'`, no nonce (config/settings.py).
"""

import contextvars
import hashlib
import re
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.timezone import localtime

from config.db_router import reads_from_replica

# Bump when a page's markup changes shape in a way an old cached copy must not be served for.
FORMAT_VERSION = "1"
PAGE_CACHE_SECONDS = 600
# Change with the format of a version (`_version`): versions a previous release left in Redis are then
# never read, which costs each page one rebuild.
VERSION_PREFIX = "pagever:2:"


@dataclass
class PageData:
    """What one public page shows: models (as "app.Model" labels) and how often the clock changes it."""

    models: set = field(default_factory=set)
    refresh_seconds: int | None = None
    # {"app.Model": function(request, *args, **kwargs) -> the parts of that table the request shows, or
    # None when it can't tell (then the page reads the whole table's version)}
    parts: dict = field(default_factory=dict)


_pages: dict[str, PageData] = {}


def depends_on(page, *models, refresh_seconds=None, parts=None):
    """The page `page` also shows these models (a higher app filling a slot in a lower app's page), and
    of the models in `parts` ({"app.Model": function of the request and the view's arguments giving
    part names}) only those parts."""
    data = _pages.setdefault(page, PageData())
    data.models.update(models)
    data.parts.update(parts or {})
    if refresh_seconds:
        data.refresh_seconds = min(filter(None, [data.refresh_seconds, refresh_seconds]))
    _watched_tables.cache_clear()
    _parted_tables.cache_clear()


def _tables(page):
    """The tables behind a page's models, their many-to-many link tables included."""
    tables = set()
    for label in _pages[page].models:
        meta = apps.get_model(label)._meta
        tables.add(meta.db_table)
        tables.update(f.remote_field.through._meta.db_table for f in meta.local_many_to_many)
    return sorted(tables)


def _table(label):
    return apps.get_model(label)._meta.db_table


def _part_keys(page, request, args, kwargs):
    """The versions of the parts of tables the request shows: each part's and its table's "any part";
    the whole table's when the page can't tell which parts (its function gives None)."""
    keys = []
    for label, parts_of in sorted(_pages[page].parts.items()):
        table, parts = _table(label), parts_of(request, *args, **kwargs)
        keys += [table] if parts is None else [_part(table, ANY_PART), *(_part(table, p) for p in parts)]
    return keys


# --- table write versions ----------------------------------------------------------------------------

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)


@lru_cache(maxsize=1)
def _watched_tables():
    # The pages declare what they read when their views are imported: a process that writes without
    # serving (a management command, a worker) imports the URLconf to learn them.
    import_module(settings.ROOT_URLCONF)
    return frozenset({table for page in _pages for table in _tables(page)} | _parted_tables())


@lru_cache(maxsize=1)
def _parted_tables():
    """Tables some page reads by part (imported as `_watched_tables` does)."""
    import_module(settings.ROOT_URLCONF)
    return frozenset(_table(label) for data in _pages.values() for label in data.parts)


ANY_PART = "*"
# Parts of tables seen only by some pages (one day's bookings) expire: a part nobody writes to again
# would otherwise stay in Redis for ever. An expired part gets a new version when next read, which only
# rebuilds its pages once.
PART_VERSION_SECONDS = 7 * 24 * 3600
_named_parts = contextvars.ContextVar("page_cache_named_parts", default=None)


def _part(table, part):
    return f"{table}@{part}"


@contextmanager
def writes_to(model, *parts):
    """The writes to `model`'s table inside this block touch only these parts (e.g. "day:2026-05-01")."""
    token = _named_parts.set({**(_named_parts.get() or {}), model._meta.db_table: parts})
    try:
        yield
    finally:
        _named_parts.reset(token)


def _version(written_at):
    """A version names when the write committed (for replica lag, below) and is unique."""
    return f"{written_at:.3f}-{uuid.uuid4().hex[:16]}"


def bump(tables, parts=()):
    """New versions for `tables` (kept until replaced) and for the `parts` of tables (they expire)."""
    now = time.time()
    cache.set_many({VERSION_PREFIX + table: _version(now) for table in tables}, None)
    if parts:
        cache.set_many({VERSION_PREFIX + part: _version(now) for part in parts}, PART_VERSION_SECONDS)


def _note_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not settings.PUBLIC_PAGE_CACHE:
        return result
    match = _WRITE.match(sql) if sql[:1] in "IUDiud " else None
    if match and match.group(1) in _watched_tables():
        table = match.group(1)
        parts = []
        if table in _parted_tables():
            parts = [_part(table, part) for part in (_named_parts.get() or {}).get(table, [ANY_PART])]
        connection = context["connection"]
        if connection.in_atomic_block:
            transaction.on_commit(lambda: bump([table], parts), using=connection.alias)
        else:
            bump([table], parts)
    return result


@receiver(connection_created)
def _watch_connection(sender, connection, **kwargs):
    if _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_writes)


def versions(tables, parts=()):
    """Each table's (and part's) current write version; one never seen gets one now."""
    keys = [VERSION_PREFIX + name for name in dict.fromkeys([*tables, *parts])]
    found = cache.get_many(keys)
    for key in set(keys) - set(found):
        # add: two processes starting at once agree on one
        cache.add(key, _version(0), PART_VERSION_SECONDS if "@" in key else None)
        found[key] = cache.get(key)
    return [found[key] for key in keys]


# --- serving -----------------------------------------------------------------------------------------


def cached_body(key, build, *, timeout=PAGE_CACHE_SECONDS):
    """The bytes kept under `key` (which names an ETag), else `build()`'s, kept unless it gives None."""
    body = cache.get(key)
    if body is None:
        body = build()
        if body is not None:
            cache.set(key, body, timeout)
    return body


def _cached_or_rendered(key, render):
    rendered = None

    def build():
        nonlocal rendered
        rendered = render()
        # Only a plain HTML 200 is shared: no error page, no download (its headers aren't kept), nothing
        # that sets a cookie (a CSRF token).
        shareable = (
            rendered.status_code == 200
            and not rendered.cookies
            and rendered["Content-Type"].startswith("text/html")
            and not rendered.has_header("Content-Disposition")
        )
        return rendered.content if shareable else None

    body = cached_body(key, build)
    return rendered or HttpResponse(body)


def _anonymous_without_state(request):
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def page_etag(page, request, args=(), kwargs=None):
    """(ETag, time of the newest write to the page's tables)."""
    table_versions = versions(_tables(page), _part_keys(page, request, args, kwargs or {}))
    parts = [FORMAT_VERSION, page, request.get_full_path(), *table_versions]
    refresh = _pages[page].refresh_seconds
    if refresh:  # buckets of local time, so a daily one turns at midnight in Shanghai
        parts.append(str(int((time.time() + localtime().utcoffset().total_seconds()) // refresh)))
    newest_write = max(float(version.split("-")[0]) for version in table_versions)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32], newest_write


def replica_may_lag(newest_write):
    """A replica may not have replayed a write this recent: what it shows must not be kept as current."""
    return reads_from_replica() and time.time() - newest_write < settings.REPLICA_STICKY_SECONDS


def public_page(page, *models, refresh_seconds=None, parts=None):
    """A public page's view, served from the shared cache to anonymous visitors (see the module)."""
    depends_on(page, *models, refresh_seconds=refresh_seconds, parts=parts)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or not settings.PUBLIC_PAGE_CACHE:
                return view(request, *args, **kwargs)
            if not _anonymous_without_state(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True)
                return response
            etag, newest_write = page_etag(page, request, args, kwargs)
            if replica_may_lag(newest_write):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, no_cache=True)
                return response
            response = get_conditional_response(request, etag=f'"{etag}"')
            if response is None:
                response = _cached_or_rendered(f"page:{etag}", lambda: view(request, *args, **kwargs))
            if response.status_code in (200, 304):
                response["ETag"] = f'"{etag}"'
                # Browsers may keep it but must ask again: the ETag makes that a cheap 304.
                patch_cache_control(response, public=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
            return response

        return wrapped

    return decorator
