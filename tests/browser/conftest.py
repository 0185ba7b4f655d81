"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "test-output" / "screenshots")
)

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between page
# actions are still synchronous, so Django's async-safety guard would refuse them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


BROWSER_DIR = Path(__file__).resolve().parent

# An assertion waits as long as an action (page.set_default_timeout below): on a busy machine a page the
# live server renders can take longer than Playwright's 5 s, which failed a click's navigation that came.
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests `browser`. A conftest hook sees every collected item, so filter by path."""
    for item in items:
        if item.path.is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def _page(browser, **context_args):
    # Reduced motion, which the map honours: it jumps to its markers at once, so a marker clicked as soon
    # as the count shows is not one markercluster replaces (closing its popup) when a zoom animation ends.
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce", **context_args
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page(browser, viewport={"width": 1280, "height": 860})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _page(
        browser, viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves test-output/screenshots/name.png for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, full_page=True):
        # A full-page shot briefly resizes the viewport, which closes an open map popup: a page with one
        # open passes full_page=False.
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def login(live_server):
    """login(page, user) signs `user` in through the real login form (password pass-word-123)."""

    def do(page, user, password="pass-word-123"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return do
