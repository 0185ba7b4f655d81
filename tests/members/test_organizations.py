"""党组织 and co-building units: the tree's ranks, the paired street, the database's guards, admin scoping."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from members.models import Organization, OrganizationKind, Sector
from tests.factories import CommunityFactory, OrganizationFactory, StaffFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_a_branch_sits_under_a_higher_rank_never_a_lower_one():
    committee = OrganizationFactory(kind=OrganizationKind.COMMITTEE, name="社区党委")
    branch = OrganizationFactory(kind=OrganizationKind.BRANCH, parent=committee)
    branch.full_clean()  # 党支部 under 党委: fine
    group = OrganizationFactory(kind=OrganizationKind.GROUP)
    branch.parent = group
    with pytest.raises(ValidationError) as refused:
        branch.full_clean()
    assert refused.value.message_dict["parent"] == ["党支部的上级应是更高一级的党组织。"]


def test_a_cobuilding_unit_is_paired_with_a_street_not_a_community():
    unit = OrganizationFactory(
        kind=OrganizationKind.BRANCH, sector=Sector.STATE_OWNED, paired_street=TownFactory()
    )
    unit.full_clean()
    assert Organization.objects.cobuilding().get() == unit and unit.is_cobuilding
    unit.paired_street = CommunityFactory()
    with pytest.raises(ValidationError) as refused:
        unit.full_clean()
    assert "挂包联系的应是镇/街道。" in refused.value.message_dict["paired_street"]


@pytest.mark.parametrize(
    "change",
    [
        {"sector": ""},  # a paired unit must say what kind of unit it is
        {"parent_id": "self"},  # an organisation can't be its own parent
    ],
)
def test_the_database_refuses_what_clean_would(change):
    unit = OrganizationFactory(sector=Sector.SCHOOL, paired_street=TownFactory())
    for field, value in change.items():
        setattr(unit, field, unit.pk if value == "self" else value)
    with pytest.raises(IntegrityError), transaction.atomic():
        unit.save()


def test_community_staff_list_and_open_only_their_own_organisations(client):
    town = TownFactory()
    mine, theirs = CommunityFactory(parent=town), CommunityFactory(parent=town)
    own = OrganizationFactory(area=mine, name="道前社区党委", kind=OrganizationKind.COMMITTEE)
    other = OrganizationFactory(area=theirs, name="联青社区党委", kind=OrganizationKind.COMMITTEE)
    client.force_login(StaffFactory(area=mine))
    page = client.get(reverse("admin:members_organization_changelist")).content.decode()
    assert own.name in page and other.name not in page
    assert client.get(reverse("admin:members_organization_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:members_organization_change", args=[other.pk])).status_code == 404
