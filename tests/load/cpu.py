"""CPU milliseconds per request for each part of the load test's mix, in one process, no network:
`python -m tests.load.cpu [--requests N] [--profile NAME]` with DATABASE_URL (PostgreSQL city data) and
REDIS_URL set as for `make loadtest`.

The requests go through Django's test client with the full middleware, so a figure is what a gunicorn
worker spends in Python for that request (process CPU time), beside its wall time (which adds
PostgreSQL's and Redis's own work and the wait for them) and its query count. The URLs and bodies are
the locust users' (mix.py); the ids come from targets.py, which also removes the load organisers'
earlier bookings. --profile NAME prints cProfile's top functions for that part instead.

Measures; never asserts. Other processes on the machine slow the wall times more than the CPU times.
"""

import argparse
import cProfile
import itertools
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import django

ROOT = Path(__file__).resolve().parents[2]


def parts(targets, signed_in):
    """{name: (client, a function giving the next (method, url, body))}, in the mix's order."""
    rooms = itertools.product(range(19, 31), range(9, 17), targets["center_rooms"])

    def get(url_of):
        return lambda: ("get", url_of(), None)

    def booking():
        from tests.load.mix import booking_body, slot

        day, hour, room = next(rooms)
        return "post", "/api/bookings/", booking_body(room, *slot(day, hour))

    from tests.load.mix import free_rooms_query

    return {
        "/ (map, cached)": (None, get(lambda: "/")),
        "/api/sites/ (304)": (None, get(lambda: "/api/sites/")),
        "/sites/<id>/": (None, get(lambda: f"/sites/{random.choice(targets['sites'])}/")),
        "/sites/": (None, get(lambda: "/sites/")),
        "/areas/<id>/": (None, get(lambda: f"/areas/{random.choice(targets['areas'])}/")),
        "/rooms/free/": (None, get(lambda: "/rooms/free/?" + urlencode(free_rooms_query(targets)))),
        "/gongshi/": (None, get(lambda: "/gongshi/")),
        "/gongshi/<community>/<year>/": (
            None,
            get(lambda: f"/gongshi/{random.choice(targets['communities'])}/{targets['year']}/"),
        ),
        "/sites/<id>/ (signed in)": (signed_in, get(lambda: f"/sites/{random.choice(targets['sites'])}/")),
        "/rooms/<id>/": (signed_in, get(lambda: f"/rooms/{random.choice(targets['center_rooms'])}/")),
        "/bookings/mine/": (signed_in, get(lambda: "/bookings/mine/")),
        "/api/bookings/ (POST)": (signed_in, booking),
    }


# The locust resident revalidates these with the ETag it got, as a browser holding the map does; its
# other clicks are plain GETs (answered from the shared cache when they are kept there).
REVALIDATED = {"/", "/api/sites/"}


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def send(client, method, url, body, etags):
    from django.conf import settings

    if method == "post":
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        return client.post(url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    headers = {"HTTP_IF_NONE_MATCH": etags[url]} if url in etags else {}
    response = client.get(url, **headers)
    if response.has_header("ETag") and url in REVALIDATED:
        etags[url] = response["ETag"]
    return response


def measure(name, client, next_request, count, counter):
    etags = {}
    send(client, *next_request(), etags)  # warm: the first visit fills the caches
    cpu, wall, queries, statuses = [], [], [], set()
    for _ in range(count):
        request = next_request()
        counter.count = 0
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        response = send(client, *request, etags)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started_wall) * 1000)
        queries.append(counter.count)
        statuses.add(response.status_code)
    figures = f"{statistics.median(cpu):.1f} | {statistics.mean(cpu):.1f} | {statistics.median(wall):.1f}"
    codes = ", ".join(map(str, sorted(statuses)))
    return f"| {name} | {figures} | {statistics.median(queries):g} | {codes} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--profile", help="a part's name, e.g. /rooms/free/")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # As run.py starts gunicorn: the API's write budget and the login limit do not stop the meter.
    os.environ.setdefault("API_WRITE_RATE", "1000000/minute")
    os.environ.setdefault("LOGIN_FAILURE_LIMIT", "100000")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection
    from django.test import Client

    from tests.load import targets as load_targets

    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        load_targets.targets(out.name)
        targets = json.load(out)
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.get("/accounts/login/")
    signed_in.post(
        "/accounts/login/",
        {
            "username": targets["organisers"][0],
            "password": targets["password"],
            "csrfmiddlewaretoken": signed_in.cookies["csrftoken"].value,
        },
    )
    counter = QueryCounter()
    connection.ensure_connection()
    connection.execute_wrappers.append(counter)
    chosen = parts(targets, signed_in)
    try:
        if options.profile:
            client, next_request = chosen[options.profile]
            client = client or Client()
            etags = {}
            send(client, *next_request(), etags)
            profile = cProfile.Profile(time.process_time)  # CPU only: waits for PostgreSQL drop out
            profile.enable()
            for _ in range(options.requests):
                send(client, *next_request(), etags)
            profile.disable()
            stats = pstats.Stats(profile).strip_dirs()
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
            return
        print(f"{options.requests} requests each; CPU and wall in ms per request (median, mean CPU)\n")
        print("| part of the mix | CPU p50 | CPU mean | wall p50 | queries | statuses |")
        print("|---|---|---|---|---|---|")
        for name, (client, next_request) in chosen.items():
            print(measure(name, client or Client(), next_request, options.requests, counter), flush=True)
    finally:
        load_targets.clean()


if __name__ == "__main__":
    main()
