import pytest

from sites.geo import distance_m, nearest
from sites.models import Site
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def test_distance_of_one_hundredth_degree_latitude_is_about_1112_m():
    assert distance_m(31.30, 120.60, 31.31, 120.60) == pytest.approx(1112, abs=2)


def test_nearest_keeps_only_sites_within_radius_nearest_first():
    far = SiteFactory(latitude="31.320000", longitude="120.600000")  # ≈2.2 km north
    near = SiteFactory(latitude="31.302000", longitude="120.600000")  # ≈220 m
    nearer = SiteFactory(latitude="31.300500", longitude="120.600500")  # ≈70 m
    found = nearest(Site.objects.all(), 31.30, 120.60, radius_m=1000)
    assert found == [nearer, near]
    assert far not in found
    assert 60 < found[0].distance_m < 80
