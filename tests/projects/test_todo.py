"""待办: each role's lists, oldest first, scoped to the area; counts (page and header) equal the rows; every
row links to where it is done; a constant number of queries whatever the data size."""

import re

import pytest
from django.urls import reverse

from members.models import Role
from projects.models import ExpenseStatus, Status
from services.models import BookingStatus
from tests.factories import (
    BookingFactory,
    CommunityFactory,
    ExpenseFactory,
    OrganizationFactory,
    ProjectFactory,
    SiteFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    VenueRulesFactory,
)

from .conftest import client_for

pytestmark = pytest.mark.django_db


def section(html, key):
    start = html.index(f'id="{key}"')
    return html[start : html.index("</section>", start)]


def rows(html, key):
    return section(html, key).count('<li class="todo-row">')


def heading_count(html, key):
    return int(re.search(r'<span class="count">(\d+)</span>', section(html, key)).group(1))


def header_total(html):
    found = re.search(r'id="todo-link">待办 <span class="count"[^>]*>(\d+)</span>', html)
    return int(found.group(1)) if found else 0


def street_world(town, community, n=1):
    """n of each thing a street waits on, in `community`; plus the same elsewhere (never shown)."""
    elsewhere = CommunityFactory()
    for where in (community, elsewhere):
        venue = VenueFactory(site=SiteFactory(area=where))
        VenueRulesFactory(venue=venue, needs_approval=True)
        for i in range(n):
            BookingFactory(venue=venue, status=BookingStatus.PENDING, start=None or _hour(i))
            ProjectFactory(community=where, status=Status.DEFINED, title=f"待备案{i}")
            ProjectFactory(community=where, status=Status.FILED, title=f"待核拨{i}")
            running = ProjectFactory(community=where, status=Status.IN_PROGRESS, title=f"实施中{i}")
            ExpenseFactory(project=running)


def _hour(i):
    from tests.factories import local, next_weekday

    return local(next_weekday(), 9 + i % 8)


def test_street_staff_see_reviews_filings_fundings_and_expenses(town, community, street_staff):
    street_world(town, community)
    html = client_for(street_staff).get(reverse("projects:todo")).content.decode()
    for key in ("bookings_to_review", "projects_defined", "projects_filed", "expenses_to_approve"):
        assert rows(html, key) == heading_count(html, key) == 1, key
    assert "projects_surveying" not in html  # a community's step, not theirs
    assert header_total(html) == 4 == int(re.search(r"共 (\d+) 项", html).group(1))
    # Each row links to where it is done.
    project = section(html, "projects_defined")
    assert re.search(r'href="/projects/\d+/#next-step"', project) and "待备案0" in project
    assert "#expenses" in section(html, "expenses_to_approve")
    assert f"{reverse('services:review-queue')}#booking-" in section(html, "bookings_to_review")


def test_community_staff_see_their_steps_and_sent_back_expenses(community, community_staff):
    ProjectFactory(community=community, status=Status.SURVEYING, title="刚起步")
    ProjectFactory(community=community, status=Status.FUNDED, title="待实施")
    ProjectFactory(community=community, status=Status.DEFINED, title="等街道备案")
    running = ProjectFactory(community=community, status=Status.IN_PROGRESS, title="实施中")
    ExpenseFactory(project=running, status=ExpenseStatus.REJECTED, decision_note="票据不清")
    ExpenseFactory(project=running)  # still with the street: not the community's task
    html = client_for(community_staff).get(reverse("projects:todo")).content.decode()
    assert rows(html, "projects_surveying") == 1 and rows(html, "projects_funded") == 1
    assert rows(html, "projects_in_progress") == 1 and "等街道备案" not in html
    assert rows(html, "expenses_sent_back") == 1 and "票据不清" in html
    assert "expenses_to_approve" not in html
    listed = sum(
        heading_count(html, k) for k in re.findall(r'<section class="card todo-list" id="(\w+)"', html)
    )
    assert header_total(html) == listed == 4


def test_organiser_sees_own_pending_and_refused_bookings():
    organizer = UserFactory(role=Role.ORGANIZER, organization=OrganizationFactory())
    BookingFactory(organizer=organizer, status=BookingStatus.PENDING, title="等审核的会")
    BookingFactory(
        organizer=organizer,
        status=BookingStatus.REJECTED,
        title="被驳回的会",
        start=_hour(3),
        reject_reason="已有安排",
    )
    BookingFactory(organizer=organizer, title="已确认的会", start=_hour(5))
    BookingFactory(status=BookingStatus.PENDING, title="别人的会", start=_hour(6))
    html = client_for(organizer).get(reverse("projects:todo")).content.decode()
    assert rows(html, "my_pending_bookings") == 1 and "等审核的会" in html
    assert rows(html, "my_rejected_bookings") == 1 and "被驳回的会" in html
    assert "已确认的会" not in html and "别人的会" not in html and "bookings_to_review" not in html
    assert header_total(html) == 2


def test_todo_needs_a_login(client):
    response = client.get(reverse("projects:todo"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_todo_queries_do_not_grow_with_the_data(town, community, street_staff, django_assert_num_queries):
    client = client_for(street_staff)
    street_world(town, community, n=1)
    # session, user, area; every list's count in one query (the header's badge reuses it); one query per
    # list's rows (seven lists: three of bookings, one of escalated demands, two of projects, one of
    # expenses)
    with django_assert_num_queries(11):
        client.get(reverse("projects:todo"))
    street_world(town, community, n=6)
    with django_assert_num_queries(11):
        html = client.get(reverse("projects:todo")).content.decode()
    assert rows(html, "projects_defined") == 7 == heading_count(html, "projects_defined")


def test_superuser_is_offered_every_list():
    admin = StaffFactory(is_superuser=True, role=Role.STREET_STAFF, area=CommunityFactory().parent)
    html = client_for(admin).get(reverse("projects:todo")).content.decode()
    for key in ("projects_surveying", "projects_defined", "expenses_to_approve", "expenses_sent_back"):
        assert f'id="{key}"' in html
