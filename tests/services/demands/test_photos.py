"""A demand's photos are served from private storage only to those who may see the demand: the resident,
its community's staff, its taker; anyone else (another resident, another community's staff, a visitor)
gets a 404 or the login page. The page and its timeline show them."""

import pytest
from django.conf import settings
from django.urls import reverse

from members.models import Role
from services import demands as ops
from tests.factories import (
    JPEG_BYTES,
    CommunityFactory,
    DemandFactory,
    ResidentFactory,
    StaffFactory,
    photo_file,
)

pytestmark = pytest.mark.django_db


def test_photos_reach_only_those_who_see_the_demand(client, resident, staff, member, category, community):
    demand = DemandFactory(resident=resident, category=category, photo=photo_file("lamp.jpg"))
    assert not demand.photo.name.startswith(str(settings.MEDIA_ROOT))
    assert (settings.PRIVATE_MEDIA_ROOT / demand.photo.name).exists()
    ops.accept(demand=demand, by=staff)
    ops.dispatch(demand=demand, by=staff, member=member)
    ops.take(demand=demand, by=member.user)
    ops.resolve(demand=demand, by=member.user, note="换好了", photo=photo_file("done.jpg"))
    photo = reverse("services:demand-photo", args=[demand.pk, "photo"])
    done = reverse("services:demand-photo", args=[demand.pk, "done"])

    for user in (resident.user, staff, member.user):
        client.force_login(user)
        for url in (photo, done):
            response = client.get(url)
            assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG_BYTES
            assert "private" in response["Cache-Control"]
    page = client.get(demand.get_absolute_url()).content.decode()
    assert f'id="demand-photo" src="{photo}"' in page and f'id="resolution-photo" src="{done}"' in page

    other_community = CommunityFactory(parent=community.parent)
    for outsider in (
        ResidentFactory(community=community).user,
        StaffFactory(role=Role.COMMUNITY_STAFF, area=other_community),
    ):
        client.force_login(outsider)
        assert client.get(photo).status_code == 404
    client.logout()
    assert client.get(photo).status_code == 302


def test_no_photo_or_an_unknown_one_is_a_404(client, resident, category):
    demand = DemandFactory(resident=resident, category=category)
    client.force_login(resident.user)
    assert client.get(reverse("services:demand-photo", args=[demand.pk, "photo"])).status_code == 404
    assert client.get(reverse("services:demand-photo", args=[demand.pk, "other"])).status_code == 404
    assert "demand-photo" not in client.get(demand.get_absolute_url()).content.decode()
