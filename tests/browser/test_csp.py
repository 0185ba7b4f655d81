"""Every main page in Chromium under the real Content-Security-Policy: no console error, no violation,
and nothing fetched from another host but the map tiles (answered here with a blank tile)."""

import base64
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.main_pages import build

pytestmark = pytest.mark.django_db(transaction=True)

BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
IMG_SRC = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
TILE_ORIGINS = [source for source in IMG_SRC if source.startswith("https:")]

# Chromium logs a refused load as a console error too; the event gives the directive and the address.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


class Watch:
    """What one browser context did: console errors, uncaught exceptions, and every address requested."""

    def __init__(self, context, origin):
        self.errors, self.requests = [], []
        context.add_init_script(WATCH_VIOLATIONS)
        # Anything else off our server is refused (there is no internet here anyway); tiles get a blank.
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin) else r.abort())
        for tile_origin in TILE_ORIGINS:
            context.route(f"{tile_origin}/**", lambda r: r.fulfill(body=BLANK_PNG, content_type="image/png"))
        context.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        context.on("weberror", lambda e: self.errors.append(f"exception: {e.error}"))
        context.on("request", lambda r: self.requests.append(r.url))


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_main_pages_run_clean_under_the_policy(live_server, browser, screenshot):
    pages, users = build()
    origin = live_server.url
    found = {}
    requested = []
    for who, user in users.items():
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce")
        watch = Watch(context, origin)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user:
            sign_in(page, live_server, user)
        for entry in (p for p in pages if p.who == who):
            watch.errors.clear()
            response = page.goto(origin + entry.url)
            assert response.status == 200, entry
            page.wait_for_load_state("networkidle")
            if entry.name == "api-docs":
                # Swagger UI drew the schema: the API's title and its operations, from our own server.
                page.locator(".info .title", has_text=settings.SPECTACULAR_SETTINGS["TITLE"]).wait_for()
                page.locator(".opblock-summary-path", has_text="/api/bookings/").first.wait_for()
                screenshot(page, "api-docs")
            if entry.name in ("gongshi", "admin-areas"):
                screenshot(page, f"csp-{entry.name}")  # progress bars, the indented tree: no inline styles
            if entry.name in ("map", "admin-site"):
                page.locator(".leaflet-tile-loaded").first.wait_for()  # the tile host is allowed
            violations = page.evaluate("window.__violations")
            if watch.errors or violations:
                found[entry.name] = [*watch.errors, *violations]
        requested += watch.requests
        context.close()
    assert found == {}, found
    elsewhere = {
        url
        for url in requested
        if not url.startswith((origin, "data:", "blob:"))
        and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" not in TILE_ORIGINS
    }
    assert elsewhere == set()
    assert any(url.startswith(TILE_ORIGINS[0]) for url in requested)  # the map did ask for its tiles
