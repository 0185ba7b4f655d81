"""A page served from the shared cache still runs its scripts under the policy (no per-request nonce)."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import CommunityFactory, DistrictFactory, SiteFactory, TownFactory

pytestmark = pytest.mark.django_db(transaction=True)

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def visit(browser, live_server, path):
    """A fresh visitor (no cookies): the page's response, its console errors and CSP violations."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce")
    context.add_init_script(WATCH_VIOLATIONS)
    errors = []

    def console(message):
        # Tiles are refused here (no internet): their failed loads are not the page's errors.
        if message.type == "error" and "Failed to load resource" not in message.text:
            errors.append(message.text)

    context.on("console", console)
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
    page.set_default_timeout(15_000)
    response = page.goto(live_server.url + path)
    return context, page, response, errors


def test_cached_map_and_site_pages_still_draw_their_maps(live_server, browser, settings):
    settings.PUBLIC_PAGE_CACHE = True
    district = DistrictFactory(name="姑苏区", latitude="31.31", longitude="120.62")
    area = CommunityFactory(parent=TownFactory(parent=district))
    site = SiteFactory(area=area, name="双塔街道党群服务中心", latitude="31.300000", longitude="120.630000")
    SiteFactory(area=area, latitude="31.200000", longitude="120.500000")

    for path, ready in [
        ("/", lambda page: expect(page.locator("#map-status")).to_have_text("共 2 个阵地")),
        (f"/sites/{site.pk}/", lambda page: expect(page.locator(".small-map .site-marker")).to_have_count(1)),
    ]:
        served = []
        for visitor in ("first", "second"):
            context, page, response, errors = visit(browser, live_server, path)
            ready(page)
            assert page.evaluate("window.__violations") == [], (path, visitor)
            assert errors == [], (path, visitor, errors)
            served.append((response.header_value("etag"), response.body()))
            context.close()
        # The second visitor got the first one's bytes, from the cache.
        assert served[0] == served[1] and served[0][0]
        assert cache.get(f"page:{served[0][0].strip(chr(34))}") == served[0][1]
