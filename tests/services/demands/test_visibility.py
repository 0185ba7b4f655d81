"""Who sees a demand (`Demand.objects.visible_to`) and what is in a staff member's inbox (`handled_by`):
every way of seeing one, each tested on its own, so the index-friendly form of the OR keeps them all."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from members.models import Role
from services import demands as ops
from services.models import Demand
from tests.factories import (
    CommunityFactory,
    DemandFactory,
    ResidentFactory,
    StaffFactory,
    UserFactory,
)

from .conftest import reported_member

pytestmark = pytest.mark.django_db


def somewhere():
    return CommunityFactory(latitude=31.3, longitude=120.6)


def seen(user):
    return set(Demand.objects.visible_to(user).values_list("pk", flat=True))


def handled(user):
    return set(Demand.objects.handled_by(user).values_list("pk", flat=True))


def test_each_way_of_seeing_a_demand(
    resident, staff, street_staff, member, organization, community, category
):
    demand = DemandFactory(resident=resident, category=category)
    elsewhere = DemandFactory(resident=ResidentFactory(community=somewhere()), category=category)
    assert seen(resident.user) == {demand.pk}
    assert seen(staff) == {demand.pk} == seen(street_staff)
    assert seen(StaffFactory(role=Role.COMMUNITY_STAFF, area=elsewhere.community)) == {elsewhere.pk}
    assert seen(UserFactory(is_superuser=True)) == {demand.pk, elsewhere.pk}
    assert seen(AnonymousUser()) == set() == seen(UserFactory(role=Role.RESIDENT))
    # whoever raised it, even from outside the community (a resident's own account, say)
    assert seen(elsewhere.raised_by) == {elsewhere.pk}

    # dispatched to a member: they see it; taken by them: they still do after it goes to an organisation
    ops.accept(demand=demand, by=staff)
    assert seen(member.user) == set()
    ops.dispatch(demand=demand, by=staff, member=member)
    assert seen(member.user) == {demand.pk}
    ops.take(demand=demand, by=member.user)
    Demand.objects.filter(pk=demand.pk).update(dispatched_member=None, dispatched_organization=organization)
    assert seen(member.user) == {demand.pk}  # through the live taking alone
    # the people of the organisation it is dispatched to
    assert seen(UserFactory(role=Role.ORGANIZER, organization=organization)) == {demand.pk}
    # sent to someone else: the first taker is released and no longer sees it
    other = reported_member(community, organization, name="第二位党员")
    ops.dispatch(demand=Demand.objects.get(pk=demand.pk), by=staff, member=other)
    assert seen(member.user) == set() and seen(other.user) == {demand.pk}


def test_the_inbox_holds_what_the_staff_handle_not_what_they_raised_as_residents(
    client, resident, staff, community, organization, category
):
    """A staff member who is also a resident of another community sees their own demand there (我的诉求),
    but it is not in their inbox: they cannot accept it. What is dispatched to them as a member is."""
    ours = DemandFactory(resident=resident, category=category, title="本社区的诉求")
    as_resident = ResidentFactory(user=staff, community=somewhere())
    own = DemandFactory(resident=as_resident, category=category, title="自己作为居民反映的")
    assert seen(staff) == {ours.pk, own.pk}
    assert handled(staff) == {ours.pk}
    client.force_login(staff)
    page = client.get(reverse("services:demand-inbox")).text
    assert "本社区的诉求" in page and "自己作为居民反映的" not in page

    member = reported_member(community, organization, name="也是党员的社区干部")
    elsewhere_staff = StaffFactory(role=Role.COMMUNITY_STAFF, area=CommunityFactory())
    member.user = elsewhere_staff
    member.save(update_fields=["user"])
    ops.accept(demand=ours, by=staff)
    ops.dispatch(demand=ours, by=staff, member=member)
    assert handled(elsewhere_staff) == {ours.pk}
    assert handled(UserFactory(is_superuser=True)) == {ours.pk, own.pk}
