"""The bad-input corpus: every class of bad input against every form and API write.

endpoints.ENDPOINTS lists each write (the pages' POST forms, the admin's add and change pages and
actions, every API POST/PATCH) with who may use it and how to get a valid payload: a page's form is read
from the rendered HTML (controls.py), as a browser would send it, so a new field is covered at once; an
API's fields come from its serializer. Each CLASSES entry turns a valid payload into bad
variants (a NUL in each text, ids 2**63 / -1 / "abc", dates past the calendar, NaN / Infinity / 1e309,
each required field missing, a 10,000-character text, a 10,000-deep JSON body). Each (endpoint, class)
is one test; every variant in it must answer below 500, in Chinese when refused, with no table's row
count changed and the edited row as it was; and a variant that can never be right must be refused.

Each variant runs in a savepoint rolled back afterwards, so variants don't see each other's writes.
"""

import json
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from rest_framework import serializers

from .controls import read_form
from .endpoints import API_FIELD_KINDS, ENDPOINTS, World

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


# --- what the endpoints are sent ---------------------------------------------------------------------


@dataclass
class Payload:
    """The valid request: its fields (name -> list of values) and each field's kind and requiredness."""

    values: dict
    kinds: dict = field(default_factory=dict)  # name -> kind
    required: set = field(default_factory=set)


def serializer_kinds(serializer_class):
    kinds, required = {}, set()
    for name, f in serializer_class().fields.items():
        if f.read_only:
            continue
        if isinstance(f, serializers.RelatedField | serializers.ManyRelatedField):
            kind = "id"
        elif isinstance(f, serializers.DateTimeField):
            kind = "datetime"
        elif isinstance(f, serializers.DateField):
            kind = "date"
        elif isinstance(f, serializers.IntegerField | serializers.DecimalField | serializers.FloatField):
            kind = "number"
        elif isinstance(f, serializers.ChoiceField):
            kind = "choice"
        elif isinstance(f, serializers.CharField):
            kind = "text"
        else:
            continue  # booleans and files
        kinds[name] = kind
        if f.required:
            required.add(name)
    return kinds, required


def build_payload(endpoint, world, client):
    if endpoint.is_api:
        values = {k: [v] for k, v in endpoint.fill(world).items()}
        if endpoint.serializer:
            kinds, required = serializer_kinds(endpoint.serializer)
        else:
            spec = API_FIELD_KINDS.get(endpoint.name, {})
            kinds = {k: kind for k, (kind, _) in spec.items()}
            required = {k for k, (_, needed) in spec.items() if needed}
        if endpoint.method == "patch":
            required = set()  # a PATCH sends only what changes
        return Payload(values, {k: v for k, v in kinds.items() if k in values}, required & set(values))
    url, page, fill = endpoint.url(world), endpoint.page(world), endpoint.fill(world)  # rows made first
    html = client.get(page).content.decode()
    target = "" if page == url else url
    controls, button = read_form(html, target, page)
    values = {name: list(c.values) for name, c in controls.items() if c.values}
    if button and button[0]:
        values[button[0]] = [button[1]]
    for name, value in fill.items():
        values[name] = value if isinstance(value, list) else [value]
    kinds = {**{name: c.kind for name, c in controls.items()}, **endpoint.kinds}
    required = {name for name, c in controls.items() if c.required and name in values}
    return Payload(values, kinds, required)


def send(endpoint, world, client, values):
    url = endpoint.url(world)
    if endpoint.api == "json":
        body = values if isinstance(values, str) else {k: v[0] for k, v in values.items()}
        data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        return getattr(client, endpoint.method)(url, data, content_type="application/json")
    data = {k: v if len(v) != 1 else v[0] for k, v in values.items()}
    return client.post(url, {**data, **endpoint.files(world)})


# --- the classes of bad input ------------------------------------------------------------------------

TEXT = ("text", "textarea")
TEXTUAL = {*TEXT, "choice", "id", "count", "number", "date", "time", "datetime"}
# Fuzzed for crashes, but Django may rightly ignore them: the inline forms' counts (-1 forms is none).
MAY_BE_IGNORED = {"count"}
DEEP = "[" * 10_000 + "]" * 10_000


def with_value(payload, name, value):
    return {**payload.values, name: [value]}


# The controls of one field repeated: an inline's rows (venues-0-name, venues-1-name, and the "add
# another" template venues-__prefix__-name) or a week of opening hours (opening_hours_mon_0_start, …).
REPEATS = re.compile(r"(?<=[-_])(?:[0-9]+|__prefix__|mon|tue|wed|thu|fri|sat|sun)(?=[-_])")


def fields(payload, *kinds):
    """The payload's fields of these kinds, one control for each repeated one (its first: the others
    are the same field again, and Django never reads the template row)."""
    seen, chosen = set(), []
    for name, kind in payload.kinds.items():
        stem = REPEATS.sub("#", name) if kind != "count" else name.rsplit("-", 1)[1]  # one inline's
        if kind in kinds and stem not in seen and "__prefix__" not in name:
            seen.add(stem)
            chosen.append(name)
    return chosen


def nul_bytes(endpoint, payload):
    for name in fields(payload, *TEXTUAL):
        if name in payload.values:
            yield f"{name}=NUL", with_value(payload, name, f"{payload.values[name][0]}\x00")


def nesting(endpoint, payload):
    if endpoint.api == "json":
        yield "10,000-deep body", DEEP
        for name in fields(payload, *TEXTUAL):
            yield f"{name}=10,000-deep", f'{{"{name}": {DEEP}}}'
    else:  # in a form, JSON is typed into a text area (an area's boundary)
        for name in fields(payload, "textarea"):
            yield f"{name}=10,000-deep", with_value(payload, name, DEEP)


BAD_IDS = ["abc", "-1", "²", str(2**63)]


def ids(endpoint, payload):
    for name in fields(payload, "id", "count"):
        # A huge form count is capped by Django at 2,000 forms: right, but seconds to show each time.
        for bad in BAD_IDS if payload.kinds[name] == "id" else BAD_IDS[:3]:
            yield f"{name}={bad}", with_value(payload, name, bad)
            if endpoint.api == "json" and bad.lstrip("-").isascii() and bad.lstrip("-").isdigit():
                yield f"{name}={bad} (number)", with_value(payload, name, int(bad))


BAD_DATES = ["0001-01-01", "9999-12-31", "2026-02-30"]
BAD_TIMES = ["24:00", "99:99", "9999"]


def dates(endpoint, payload):
    bad = {"date": BAD_DATES, "datetime": [f"{d}T10:00:00" for d in BAD_DATES], "time": BAD_TIMES}
    for name in fields(payload, *bad):
        for value in bad[payload.kinds[name]]:
            yield f"{name}={value}", with_value(payload, name, value)


# Typed in a form, "Infinity" takes NaN's path (a decimal that isn't finite): one of them is enough.
BAD_NUMBERS = ["NaN", "1e309", "99999999999999999999"]


def numbers(endpoint, payload):
    for name in fields(payload, "number"):
        for value in BAD_NUMBERS + (["Infinity"] if endpoint.is_api else []):
            yield f"{name}={value}", with_value(payload, name, value)
        if endpoint.api == "json":  # the bare tokens, which JavaScript's JSON.stringify never writes
            for token in ("NaN", "Infinity", "1e309"):
                body = {k: v[0] for k, v in payload.values.items()}
                text = json.dumps({**body, name: "@"}, ensure_ascii=False).replace('"@"', token)
                yield f"{name}={token} (bare)", text


def missing(endpoint, payload):
    for name in sorted(payload.required):
        yield f"without {name}", {k: v for k, v in payload.values.items() if k != name}


def overlong(endpoint, payload):
    for name in fields(payload, *TEXT):
        yield f"{name}=10,000 characters", with_value(payload, name, "长" * 10_000)


# A class whose variants can never be right: each must be refused. An over-long text may fit a field
# without a limit (a description), and a deep body may go to an endpoint that reads none.
CLASSES = {
    "nul": (nul_bytes, True),
    "nesting": (nesting, False),
    "ids": (ids, True),
    "dates": (dates, True),
    "numbers": (numbers, True),
    "missing": (missing, True),
    "overlong": (overlong, False),
}

DOMAIN = ["sites", "members", "services", "projects"]


# The admin's log too: it records every save, even one that changed no field.
COUNTED = [m for label in DOMAIN for m in apps.get_app_config(label).get_models()] + [Group, LogEntry]


def row_counts():
    """Every domain table's row count, in one query (it runs twice per variant)."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in COUNTED]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
        return cursor.fetchone()


def row_of(obj):
    """Every column of the edited row (updated_at too, so a save that changed nothing still shows)."""
    return type(obj)._default_manager.filter(pk=obj.pk).values().first() if obj is not None else None


def accepted(endpoint, response, wrote):
    if endpoint.is_api:
        return response.status_code < 300
    if endpoint.taken_by_redirect:
        return response.status_code == 302
    return wrote


MESSAGES = re.compile(r'class="(?:messages|messagelist)">(.*?)</ul>', re.S)


def chinese(endpoint, response, client):
    """Refused in Chinese: a page in Chinese, or a redirect to one whose message says why in Chinese;
    from the API, every message in the error body."""
    if not endpoint.is_api and response.status_code in (301, 302):
        shown = MESSAGES.search(client.get(response["Location"]).content.decode())
        return bool(shown and CJK.search(shown.group(1)))
    if not endpoint.is_api:
        return bool(CJK.search(response.content.decode()))
    messages = []

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        else:
            messages.append(str(node))

    walk(response.json())
    return bool(messages) and all(CJK.search(m) for m in messages)


def client_for(world, endpoint):
    client = Client()
    if endpoint.user:
        client.force_login(getattr(world, endpoint.user))
    return client


def run_variant(endpoint, world, client, values):
    """(response, whether it wrote, whether it is refused in Chinese), the writes rolled back."""
    edited = endpoint.edits(world) if endpoint.edits else None
    with transaction.atomic():
        before, row = row_counts(), row_of(edited)
        response = send(endpoint, world, client, values)
        wrote = (before, row) != (row_counts(), row_of(edited))
        in_chinese = response.status_code < 500 and chinese(endpoint, response, client)
        transaction.set_rollback(True)
    return response, wrote, in_chinese


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_the_valid_payload_is_accepted(endpoint):
    """Each bad variant differs from an accepted request only by the bad input."""
    world = World()
    client = client_for(world, endpoint)
    payload = build_payload(endpoint, world, client)
    response, wrote, _ = run_variant(endpoint, world, client, payload.values)
    errors = re.findall(
        r'name="([^"]+)"[^<]*(?:<[^u][^<]*){0,6}<ul class="errorlist[^>]*>(.*?)</ul>',
        response.content.decode(),
        re.S,
    )
    errors = errors or re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert accepted(endpoint, response, wrote), (response.status_code, errors or response.content[:3000])


@pytest.mark.parametrize("class_name", CLASSES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_bad_input(endpoint, class_name):
    world = World()
    client = client_for(world, endpoint)
    payload = build_payload(endpoint, world, client)
    mutate, must_refuse = CLASSES[class_name]
    failures = []
    for label, values in mutate(endpoint, payload):
        response, wrote, in_chinese = run_variant(endpoint, world, client, values)
        status, taken = response.status_code, accepted(endpoint, response, wrote)
        ignorable = payload.kinds.get(label.split("=")[0]) in MAY_BE_IGNORED
        if status >= 500:
            failures.append(f"{label}: {status}")
        elif taken and must_refuse and not ignorable:
            failures.append(f"{label}: accepted ({status})")
        elif not taken and wrote:
            failures.append(f"{label}: refused ({status}) but wrote to the database")
        elif not taken and not in_chinese:
            failures.append(f"{label}: refused ({status}) not in Chinese: {response.content[:300]!r}")
    assert not failures, "\n".join(failures)
