"""Races on one member's dated relations, on the real PostgreSQL server: however many staff report the
same member or move them at the same instant, one active reporting and one active membership remain."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members import roster
from members.models import Role
from tests.factories import CommunityFactory, MemberFactory, OrganizationFactory, StaffFactory, TownFactory
from tests.services.test_concurrency import race

THREADS = 20

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def outcome(work):
    try:
        work()
    except ValidationError as error:
        return "refused: " + next(iter(error.message_dict.values()))[0]
    return "done"


def test_concurrent_reports_of_one_member_leave_one_active():
    street = TownFactory()
    member = MemberFactory(organization=OrganizationFactory(area=CommunityFactory(parent=street)))
    staff = StaffFactory(role=Role.STREET_STAFF, area=street)
    communities = [CommunityFactory(parent=street) for _ in range(THREADS)]
    results = race(
        lambda i: outcome(
            lambda: roster.report_to_community(
                member=member, by=staff, community=communities[i], since=dt.date(2025, 1, 1)
            )
        ),
        THREADS,
    )
    assert results["done"] == 1 and sum(results.values()) == THREADS
    assert all(key == "done" or "先结束原报到" in key for key in results)
    assert member.reportings.active().count() == 1


def test_concurrent_moves_of_one_member_keep_one_active_membership_and_a_gapless_history():
    street = TownFactory()
    community = CommunityFactory(parent=street)
    member = MemberFactory(organization=OrganizationFactory(area=community), since=dt.date(2020, 1, 1))
    staff = StaffFactory(role=Role.STREET_STAFF, area=street)
    targets = [OrganizationFactory(area=community) for _ in range(THREADS)]
    results = race(
        lambda i: outcome(
            lambda: roster.move_member(
                member=member, by=staff, to=targets[i], on=dt.date(2025, 1, 1) + dt.timedelta(i)
            )
        ),
        THREADS,
    )
    assert not [key for key in results if key.startswith("error")], results
    history = list(member.memberships.order_by("since", "pk"))
    assert [m.until for m in history].count(None) == 1
    member.refresh_from_db()
    assert member.organization_id == member.memberships.active().get().organization_id
