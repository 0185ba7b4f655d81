"""The demands layer of the 红色地图: a public page with the open demands counted by category (what stands
in for the map without JavaScript), its script, the layer's GeoJSON; no personal data anywhere."""

import pytest
from django.urls import reverse

from services import demands as ops
from tests.factories import DemandCategoryFactory, DemandFactory

pytestmark = pytest.mark.django_db


def test_the_page_counts_open_demands_by_category(client, resident, staff, category):
    other = DemandCategoryFactory(name="环境秩序", deadline_days=5)
    for c in (category, category, other):
        ops.accept(demand=DemandFactory(resident=resident, category=c, address="3号楼201"), by=staff)
    DemandFactory(resident=resident, category=other)  # not yet accepted: not published
    page = client.get(reverse("services:demand-map-page")).content.decode()
    table = page[page.index('id="demand-categories"') :]
    assert (
        '<td>设施维修</td><td class="num">2</td>' in table
        and '<td>环境秩序</td><td class="num">1</td>' in table
    )
    assert "js/demands_layer.js" in page and reverse("services:demand-map") in page
    for personal in (resident.name, resident.user.phone, "3号楼201"):
        assert personal not in page


def test_the_page_without_demands_says_so(client, db):
    page = client.get(reverse("services:demand-map-page")).content.decode()
    assert "当前没有办理中的诉求" in page
