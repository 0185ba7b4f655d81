"""Locust users for `make loadtest` (tests/load/run.py starts the server and runs these headless).

FastHttpUser (geventhttpclient) rather than HttpUser (requests): locust shares the machine with the
server, and the faster client spends several times less CPU per request, so the figures are the server's.

- Resident: the public mix a phone makes: the map page and its API (revalidated with the ETag it got,
  as a browser does), site and area pages, free-room search, 公示.
- Organiser: signed in; looks at a site's page and a room, and books a free slot through the API.
- Booker: books distinct free slots back to back (the bookings/s figure).

LOAD_PAUSE=0 takes the pause away (the saturated mix); otherwise each user waits 1–5 s between clicks.
The ids to visit come from the JSON file named by LOAD_TARGETS (written by run.py from the database).
"""

import itertools
import json
import os
import random
import threading
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, task
from mix import booking_body, free_rooms_query, slot  # locust puts this file's directory on the path

with open(os.environ["LOAD_TARGETS"], encoding="utf-8") as targets:
    TARGETS = json.load(targets)
PAUSE = between(1, 5) if os.environ.get("LOAD_PAUSE", "1") != "0" else constant(0)
PASSWORD = TARGETS["password"]

# Distinct free slots: each booking takes the next (day, hour, room) of centre rooms, which open every
# day 09:00–17:30; run.py removes the load organisers' earlier bookings first. Each run books days of its
# own (the pausing mix, the saturated mix, the booking run), so requests of a run still queued in the
# server when it ends can't take the next run's slots.
_lock = threading.Lock()
_mix_days = range(1, 10) if os.environ.get("LOAD_PAUSE", "1") != "0" else range(10, 19)
_slots = {
    "mix": itertools.product(_mix_days, range(9, 17), TARGETS["center_rooms"]),
    "booking": itertools.product(range(19, 29), range(9, 17), TARGETS["center_rooms"]),
}
_organisers = itertools.cycle(TARGETS["organisers"])


def next_slot(run):
    with _lock:
        day, hour, room = next(_slots[run])
    return room, *slot(day, hour)


class SignedIn:
    slots = "mix"

    def csrf_token(self):
        return next(cookie.value for cookie in self.client.cookiejar if cookie.name == "csrftoken")

    def sign_in(self):
        with _lock:
            username = next(_organisers)
        self.client.get("/accounts/login/", name="/accounts/login/")
        self.client.post(
            "/accounts/login/",
            data=urlencode(
                {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf_token()}
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name="/accounts/login/ (POST)",
        )

    def book(self):
        room, start, end = next_slot(self.slots)
        with self.client.post(
            "/api/bookings/",
            json=booking_body(room, start, end),
            headers={"X-CSRFToken": self.csrf_token(), "Referer": self.host + "/"},
            name="/api/bookings/ (POST)",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {response.text[:200]}")


class Resident(FastHttpUser):
    weight = 9
    wait_time = PAUSE

    def on_start(self):
        self.etags = {}

    def revalidated(self, url, name):
        """A browser that holds the page sends If-None-Match; a 304 is a success."""
        headers = {"If-None-Match": self.etags[url]} if url in self.etags else {}
        response = self.client.get(url, headers=headers, name=name)
        if response.headers.get("ETag"):
            self.etags[url] = response.headers["ETag"]

    @task(3)
    def map_page(self):
        self.revalidated("/", "/")

    @task(3)
    def map_api(self):
        self.revalidated("/api/sites/", "/api/sites/")

    @task(3)
    def site_page(self):
        self.client.get(f"/sites/{random.choice(TARGETS['sites'])}/", name="/sites/<id>/")

    @task(1)
    def site_list(self):
        self.client.get("/sites/", name="/sites/")

    @task(1)
    def area_page(self):
        self.client.get(f"/areas/{random.choice(TARGETS['areas'])}/", name="/areas/<id>/")

    @task(1)
    def free_rooms(self):
        self.client.get("/rooms/free/", params=free_rooms_query(TARGETS), name="/rooms/free/")

    @task(1)
    def gongshi(self):
        self.client.get("/gongshi/", name="/gongshi/")

    @task(1)
    def gongshi_community(self):
        community = random.choice(TARGETS["communities"])
        self.client.get(f"/gongshi/{community}/{TARGETS['year']}/", name="/gongshi/<community>/<year>/")


class Organiser(SignedIn, FastHttpUser):
    weight = 1
    wait_time = PAUSE

    def on_start(self):
        self.sign_in()

    @task(2)
    def site_page(self):
        self.client.get(f"/sites/{random.choice(TARGETS['sites'])}/", name="/sites/<id>/ (signed in)")

    @task(2)
    def room_week(self):
        self.client.get(f"/rooms/{random.choice(TARGETS['center_rooms'])}/", name="/rooms/<id>/")

    @task(1)
    def my_bookings(self):
        self.client.get("/bookings/mine/", name="/bookings/mine/")

    @task(1)
    def booking(self):
        self.book()


class Booker(SignedIn, FastHttpUser):
    """Only in the booking run (`Booker` named on locust's command line)."""

    slots = "booking"
    wait_time = constant(0)

    def on_start(self):
        self.sign_in()

    @task
    def booking(self):
        self.book()
