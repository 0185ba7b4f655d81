"""A street's member roster page is one constant number of queries however the street's members are
spread: over many communities, organisations and 党小组, with filters, on any page (the city bench's
shape: tests/bench/bench_members.py)."""

import pytest
from django.urls import reverse

from members.models import OrganizationKind, Role
from tests.factories import CommunityFactory, MemberFactory, OrganizationFactory, StaffFactory, TownFactory

pytestmark = pytest.mark.django_db


def spread(street, communities, per_branch):
    for _ in range(communities):
        branch = OrganizationFactory(area=CommunityFactory(parent=street))
        group = OrganizationFactory(kind=OrganizationKind.GROUP, parent=branch, area=branch.area)
        for n in range(per_branch):
            MemberFactory(organization=branch, group=group if n % 2 else None, workplace="苏州某单位")


@pytest.mark.parametrize("query", ["", "?status=full", "?q=党员&organization=测试党支部", "?page=2"])
def test_a_streets_roster_is_constant_in_queries(client, query, django_assert_num_queries):
    street = TownFactory(name="狮山街道")
    staff = StaffFactory(role=Role.STREET_STAFF, area=street)
    spread(street, communities=2, per_branch=16)
    client.force_login(staff)
    url = reverse("members:member-list") + query
    client.get(url)
    with django_assert_num_queries(6):  # session, user, their area, 待办 count, count, page
        assert client.get(url).status_code == 200
    spread(street, communities=4, per_branch=12)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
