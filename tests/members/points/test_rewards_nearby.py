"""The rewards catalogue near the volunteer: their community's units first, then their street's, their
district's and the rest (cheapest first within each); narrowed by 范围; page and API alike; the query
count is pinned."""

import pytest
from django.urls import reverse

from tests.factories import CommunityFactory, RewardFactory, TownFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rewards(community, town):
    """One reward per distance, the farthest the cheapest so price alone would order them backwards."""
    neighbour = CommunityFactory(parent=TownFactory(parent=town.parent))
    made = {
        "elsewhere": RewardFactory(name="远处的券", price=10, organization__area=CommunityFactory()),
        "district": RewardFactory(name="区里的券", price=20, organization__area=neighbour),
        "street": RewardFactory(name="街道的券", price=30, organization__area=CommunityFactory(parent=town)),
        "community": RewardFactory(name="社区的券", price=40, organization__area=community),
    }
    RewardFactory(name="社区的贵券", price=90, organization__area=community)
    return made


def names(response):
    return [r["name"] for r in response.json()["results"]]


def test_a_volunteer_sees_the_nearest_first(client, volunteer, rewards):
    client.force_login(volunteer.user)
    page = client.get(reverse("volunteers:rewards")).content.decode()
    order = [page.index(n) for n in ("社区的券", "社区的贵券", "街道的券", "区里的券", "远处的券")]
    assert order == sorted(order)
    assert "本社区" in page and "本街道" in page and "本区" in page
    api = client.get(reverse("volunteers:api-reward-list"))
    assert names(api) == ["社区的券", "社区的贵券", "街道的券", "区里的券", "远处的券"]
    assert [r["nearness"] for r in api.json()["results"]] == ["本社区", "本社区", "本街道", "本区", ""]


def test_within_narrows_to_the_community_or_the_street(client, volunteer, rewards):
    client.force_login(volunteer.user)
    url = reverse("volunteers:rewards")
    street = client.get(url, {"within": "street"}).content.decode()
    assert "街道的券" in street and "区里的券" not in street and "远处的券" not in street
    own = client.get(url, {"within": "community"}).content.decode()
    assert "社区的券" in own and "街道的券" not in own
    api = reverse("volunteers:api-reward-list")
    assert names(client.get(api, {"within": "community"})) == ["社区的券", "社区的贵券"]
    assert names(client.get(api, {"within": "street"})) == ["社区的券", "社区的贵券", "街道的券"]


def test_bad_or_anonymous_within_is_a_chinese_400(client, volunteer, rewards):
    url, api = reverse("volunteers:rewards"), reverse("volunteers:api-reward-list")
    anonymous = client.get(url, {"within": "street"})
    assert anonymous.status_code == 400 and "志愿者身份登录" in anonymous.content.decode()
    assert client.get(api, {"within": "street"}).status_code == 400
    assert names(client.get(api)) == ["远处的券", "区里的券", "街道的券", "社区的券", "社区的贵券"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200  # not a volunteer: cheapest first, no 范围
    client.force_login(volunteer.user)
    bad = client.get(url, {"within": "city"})
    assert bad.status_code == 400 and "无法识别" in bad.content.decode()
    assert "within 参数应为" in client.get(api, {"within": "city"}).content.decode()


def test_the_nearest_first_list_is_constant_in_queries(client, volunteer, rewards, django_assert_num_queries):
    client.force_login(volunteer.user)
    url, api = reverse("volunteers:rewards"), reverse("volunteers:api-reward-list")
    client.get(url)
    with django_assert_num_queries(6):  # session, user, volunteer with community, 待办 count, count, page
        client.get(url, {"within": "street"})
    with django_assert_num_queries(5):  # session, user, volunteer with community, count, page
        client.get(api)
    for _ in range(5):
        RewardFactory(organization__area=CommunityFactory())
    with django_assert_num_queries(6):
        client.get(url)
    with django_assert_num_queries(5):
        client.get(api)
