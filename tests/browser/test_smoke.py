import pytest

from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_renders_in_chromium(live_server, page, phone_page, screenshot):
    SiteFactory()
    for p, name in ((page, "home-desktop"), (phone_page, "home-phone")):
        response = p.goto(live_server.url + "/")
        assert response.status == 200
        assert "红色地图" in p.text_content("h1")
        screenshot(p, name)
