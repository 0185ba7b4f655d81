"""The demands in 待办: community staff get those to accept and those overdue, street staff the escalated
ones, handlers the 督办 notes to answer, party members the orders to take and to resolve; each list's
count is in the header's badge, its rows are the viewer's own area's, and building the lists runs no
query (the header counts them all in one)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Role
from services import demands as ops
from services import supervision
from services.demand_todo import demand_lists
from tests.factories import CommunityFactory, DemandFactory, ResidentFactory, StaffFactory
from tests.projects.test_todo import header_total, heading_count, rows

pytestmark = pytest.mark.django_db


def todo(user, client):
    client.force_login(user)
    return client.get(reverse("projects:todo")).content.decode()


def test_each_role_sees_its_demands_and_the_header_counts_them(
    client, resident, staff, street_staff, member, category, community
):
    waiting = DemandFactory(resident=resident, category=category, title="待受理的路灯")
    late = DemandFactory(resident=resident, category=category, title="超期的井盖")
    ops.accept(demand=late, by=staff, now=dt.datetime(2026, 9, 1, 2, tzinfo=dt.UTC))
    ops.dispatch(demand=late, by=staff, member=member)
    supervision.check_deadlines(now=dt.datetime(2026, 9, 10, 2, tzinfo=dt.UTC))
    late.refresh_from_db()
    note = supervision.add_note(demand=late, by=street_staff, note="请尽快处理")
    neighbour = CommunityFactory(
        parent=community.parent, latitude=community.latitude, longitude=community.longitude
    )
    elsewhere = ResidentFactory(community=neighbour)
    DemandFactory(resident=elsewhere, category=category, title="别的社区的")

    html = todo(staff, client)
    assert rows(html, "demands_to_accept") == 1 == heading_count(html, "demands_to_accept")
    assert waiting.title in html and "别的社区的" not in html
    assert rows(html, "demands_overdue") == 1 and "超期" in html
    assert rows(html, "demand_notes_to_answer") == 1 and "请尽快处理" in html
    assert header_total(html) == 3

    street = todo(street_staff, client)
    assert rows(street, "demands_escalated") == 1 and 'id="demands_to_accept"' not in street

    orders = todo(member.user, client)
    assert rows(orders, "orders_to_take") == 1 and rows(orders, "orders_to_resolve") == 0
    ops.take(demand=late, by=member.user)
    orders = todo(member.user, client)
    assert rows(orders, "orders_to_take") == 0 and rows(orders, "orders_to_resolve") == 1
    assert rows(orders, "demand_notes_to_answer") == 1  # the taker answers it too
    supervision.answer_note(supervision=note, by=member.user, answer="已联系施工队")
    assert rows(todo(member.user, client), "demand_notes_to_answer") == 0
    assert header_total(todo(member.user, client)) == 1

    assert 'id="orders_to_take"' not in todo(resident.user, client)


def test_an_order_sent_to_the_members_branch_is_theirs_to_take(
    client, resident, staff, member, organization, category
):
    demand = DemandFactory(resident=resident, category=category)
    ops.accept(demand=demand, by=staff)
    ops.dispatch(demand=demand, by=staff, organization=organization)
    assert rows(todo(member.user, client), "orders_to_take") == 1


def test_building_the_lists_runs_no_query(staff, street_staff, member):
    superuser = StaffFactory(is_superuser=True, role=Role.STREET_STAFF, area=street_staff.area)
    for user in (staff, street_staff, member.user, superuser):
        with CaptureQueriesContext(connection) as queries:
            demand_lists(user)
        assert len(queries) == 0, user


def test_overdue_follows_the_clock(client, resident, staff, category):
    demand = ops.accept(demand=DemandFactory(resident=resident, category=category), by=staff)
    assert rows(todo(staff, client), "demands_overdue") == 0
    with time_machine.travel(demand.deadline + dt.timedelta(minutes=1)):
        assert rows(todo(staff, client), "demands_overdue") == 1
