import pytest
from django.db import IntegrityError, transaction

from sites.models import Area, AreaLevel, Site
from tests.factories import CommunityFactory, GridFactory, SiteFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_subtree_is_one_query(django_assert_num_queries):
    town = TownFactory()
    c1, c2 = CommunityFactory(parent=town), CommunityFactory(parent=town)
    g = GridFactory(parent=c1)
    other = CommunityFactory()
    with django_assert_num_queries(1):
        found = set(Area.objects.subtree(town))
    assert found == {town, c1, c2, g}
    assert other not in found


def test_sites_within_area_at_any_depth():
    town = TownFactory()
    inside = SiteFactory(area=GridFactory(parent=CommunityFactory(parent=town)))
    outside = SiteFactory()
    assert list(Site.objects.within(town)) == [inside]
    assert outside not in Site.objects.within(town)
    assert inside in Site.objects.within(town.parent.parent)


def test_moving_an_area_moves_its_subtree():
    town_a, town_b = TownFactory(), TownFactory()
    community = CommunityFactory(parent=town_a)
    grid = GridFactory(parent=community)
    community.parent = town_b
    community.save()
    grid.refresh_from_db()
    assert grid.path.startswith(town_b.path)
    assert grid in Area.objects.subtree(town_b)
    assert grid not in Area.objects.subtree(town_a)


def test_database_refuses_a_grid_directly_under_a_town():
    town = TownFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(name="错误网格", level=AreaLevel.GRID, parent=town)


def test_database_refuses_out_of_range_coordinates():
    site = SiteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Site.objects.filter(pk=site.pk).update(latitude=91)


def test_area_codes_are_unique():
    CommunityFactory(code="320505001001")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityFactory(code="320505001001")
