"""Every page, as each demo role, on a 375-px phone: no sideways scrolling, every action button on screen.

Runs on the real demo data (seed_demo), signed in through the login form with the demo logins: every
login the README names (tests/demo_pages.py), every page it sees, the admin's included.
"""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from members.models import User
from projects.todo import UNREAD, counts
from tests.demo_pages import ROLES, STAFF, admin_pages, pages_for

pytestmark = pytest.mark.django_db(transaction=True)

# What a person can press: buttons and links styled as buttons (not the map's own zoom controls).
ACTIONS = "button:visible, a.btn:visible, input[type=submit]:visible"


def every_page(username):
    """The pages, then (staff) the admin's changelists, add and change forms this login reaches."""
    pages = pages_for(username)
    if username in STAFF:
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages += [url for url in admin_pages(client) if "/history/" not in url and url not in pages]
    return [*pages, "/no-such-page/"]


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "haitang-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone(live_server, phone_page, screenshot, role):
    call_command("seed_demo", stdout=io.StringIO())
    if role:
        login(phone_page, live_server.url, role)
    problems = []
    for path in every_page(role):
        response = phone_page.goto(live_server.url + path)
        phone_page.wait_for_load_state("networkidle")
        if response.status in (403, 404) and path != "/no-such-page/":
            continue  # out of this role's area: the 404 page itself is checked once, below
        width = phone_page.evaluate("innerWidth")
        scroll = phone_page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{path}: scrollWidth {scroll} > {width}")
            screenshot(phone_page, f"phone-overflow-{role or 'anon'}-{path.strip('/').replace('/', '-')}")
        for button in phone_page.locator(ACTIONS).all():
            box = button.bounding_box()
            if box and (box["x"] < -1 or box["x"] + box["width"] > width + 1):
                right = box["x"] + box["width"]
                problems.append(f"{path}: “{button.text_content().strip()}” at x={box['x']:.0f}–{right:.0f}")
    assert not problems, "\n".join(problems)


def test_the_header_folds_into_a_menu_button(live_server, phone_page, page):
    call_command("seed_demo", stdout=io.StringIO())
    login(phone_page, live_server.url, "canglang")
    phone_page.goto(f"{live_server.url}/sites/")
    menu = phone_page.get_by_role("button", name="菜单")
    assert menu.is_visible() and not phone_page.locator("#topnav").is_visible()
    menu.click()
    assert phone_page.get_by_role("link", name="为民服务项目").is_visible()
    assert menu.get_attribute("aria-expanded") == "true"
    # On a desktop the links show as they are, without the button.
    page.goto(f"{live_server.url}/sites/")
    assert page.locator("#topnav").is_visible() and not page.locator(".menu-button").is_visible()


def test_the_menu_button_counts_work_waiting_not_unread_messages(live_server, phone_page):
    """A resident with unread 站内信 and nothing to do: the button says 菜单, not 菜单（待办 n）."""
    call_command("seed_demo", stdout=io.StringIO())
    resident = User.objects.get(username="jumin")
    waiting = counts(resident)
    assert waiting[UNREAD] > 0 and sum(n for key, n in waiting.items() if key != UNREAD) == 0
    login(phone_page, live_server.url, "jumin")
    phone_page.goto(f"{live_server.url}/sites/")
    assert phone_page.locator(".menu-button").inner_text() == "菜单"


def test_charts_shrink_back_after_a_rotation(live_server, browser):
    call_command("seed_demo", stdout=io.StringIO())
    context = browser.new_context(viewport={"width": 740, "height": 375}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/gongshi/")
    page.wait_for_function("document.querySelectorAll('canvas').length > 0")
    page.set_viewport_size({"width": 375, "height": 740})
    page.wait_for_timeout(500)  # Chart.js resizes on the next animation frame
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    widths = page.evaluate(
        "[...document.querySelectorAll('canvas')].map(c => c.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= 375
    context.close()
