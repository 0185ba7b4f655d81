"""待办 on the demo data, for every demo login: the header's count, the page's total, each list's count,
its rows, and the rows of the page each list links to all agree."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.models import User
from tests.demo_pages import COMMUNITY_STAFF, ROLES, STREET_STAFF

from .test_todo import header_total, heading_count, rows

pytestmark = pytest.mark.django_db

LOGINS = [role for role in ROLES if role]


def rows_where_done(client, key):
    """How many rows the page a 待办 list links to shows for that list."""
    if key.startswith("projects_"):
        status = key.removeprefix("projects_")
        page = client.get(reverse("projects:project-list"), {"status": status}).content.decode()
        return page.count(f'class="step step-{status}"')
    if key == "bookings_to_review":
        page = client.get(reverse("services:review-queue")).content.decode()
        queue = page[page.index('id="queue"') : page.index("</ul>", page.index('id="queue"'))]
        return queue.count('<li id="booking-')
    if key in ("my_pending_bookings", "my_rejected_bookings"):
        status = "pending" if key == "my_pending_bookings" else "rejected"
        page = client.get(reverse("services:my-bookings")).content.decode()
        upcoming = page[page.index('id="upcoming"') : page.index("</ul>", page.index('id="upcoming"'))]
        return upcoming.count(f'class="status status-{status}"')
    return None  # expenses: listed on each project's page, counted through the rows above


@pytest.mark.parametrize("username", LOGINS)
def test_todo_counts_equal_what_the_lists_show(client, username):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username=username))
    html = client.get(reverse("projects:todo")).content.decode()
    keys = re.findall(r'<section class="card todo-list" id="([a-z_]+)"', html)
    assert keys, "every demo login has something it may be waiting for"
    counts = {key: heading_count(html, key) for key in keys}
    total = int(re.search(r"共 (\d+) 项", html).group(1))
    assert header_total(html) == total == sum(counts.values())
    if username in (*COMMUNITY_STAFF, *STREET_STAFF):
        assert total, "the demo leaves work waiting for its community and street staff"
    for key, count in counts.items():
        assert rows(html, key) == min(count, 50), key
        where_done = rows_where_done(client, key)
        assert where_done in (None, count), f"{key}: 待办 says {count}, its page shows {where_done}"
