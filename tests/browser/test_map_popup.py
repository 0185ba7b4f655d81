"""The map on the demo data: a popup opens wholly inside the map, district names never overlap.

The outermost demo sites sit where the initial view puts them: at the map's edges, so their popups open
against the top (north), the bottom, or the sides, on a phone and on a desktop.
"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sites.models import Site
from tests.browser.test_map import offline

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 860}}
OUTERMOST = {"north": "-latitude", "south": "latitude", "east": "-longitude", "west": "longitude"}

# The popup box and its tip, the map, the zoom buttons: their boxes once the popup has stopped moving.
BOXES = """() => {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
  const popup = document.querySelector(".leaflet-popup");
  return {
    popup: box(popup.querySelector(".leaflet-popup-content-wrapper")),
    tip: box(popup.querySelector(".leaflet-popup-tip-container")),
    map: box(document.querySelector("#site-map")),
    zoom: box(document.querySelector(".leaflet-control-zoom")),
  };
}"""


def inside(inner, outer):
    return (
        inner["left"] >= outer["left"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
        and inner["top"] >= outer["top"] - 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


def overlap(a, b):
    across = a["left"] < b["right"] and b["left"] < a["right"]
    return across and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def settled_boxes(page):
    """The boxes once two readings 300 ms apart agree: the details have loaded and auto-pan has ended."""
    previous = None
    for _ in range(20):
        boxes = page.evaluate(BOXES)
        if boxes == previous:
            return boxes
        previous = boxes
        page.wait_for_timeout(300)
    raise AssertionError(f"the popup kept moving: {boxes}")


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())
    return Site.objects.active().count()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_outermost_sites_popups_open_inside_the_map(live_server, browser, demo, screenshot, width):
    context = browser.new_context(
        viewport=WIDTHS[width], locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce"
    )
    page = context.new_page()
    offline(page, live_server)
    problems = []
    for side, order in OUTERMOST.items():
        site = Site.objects.active().order_by(order).first()
        page.goto(live_server.url + "/")
        expect(page.locator("#map-status")).to_have_text(f"共 {demo} 个阵地")
        marker = page.locator(f".site-marker[title='{site.name}']")
        if marker.count():
            marker.click()
        else:  # inside a cluster at this zoom: its name in the list zooms in and opens it
            page.locator("#result-list a", has_text=site.name).click()
            page.locator("#site-map").scroll_into_view_if_needed()
        popup = page.locator(".leaflet-popup-content")
        expect(popup).to_contain_text(site.name)
        expect(popup).to_contain_text("查看详情")
        boxes = settled_boxes(page)
        screenshot(page, f"map-popup-{width}-{side}", full_page=False)
        for part in ("popup", "tip"):
            if not inside(boxes[part], boxes["map"]):
                problems.append(f"{side} ({site.name}): {part} {boxes[part]} leaves the map {boxes['map']}")
        if overlap(boxes["popup"], boxes["zoom"]):
            problems.append(f"{side} ({site.name}): the zoom buttons cover the popup")
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_district_names_never_overlap(live_server, browser, demo, screenshot, width):
    context = browser.new_context(
        viewport=WIDTHS[width], locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce"
    )
    page = context.new_page()
    offline(page, live_server)
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_have_text(f"共 {demo} 个阵地")
    screenshot(page, f"map-districts-{width}", full_page=False)
    shown = shown_labels(page)
    assert len(shown) >= 5, shown  # most of the ten districts are named at city zoom
    assert not clashes(shown)
    # Closer in, names hidden for want of room come back, still without overlapping.
    crowded = page.locator(".district-label.is-crowded").count()
    assert crowded, "the demo's central districts crowd each other at city zoom"
    for _ in range(2):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(300)
    expect(page.locator(".district-label.is-crowded")).not_to_have_count(crowded)
    assert not clashes(shown_labels(page))
    context.close()


def shown_labels(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('.district-label')]
          .filter((el) => getComputedStyle(el).visibility !== 'hidden')
          .map((el) => { const r = el.getBoundingClientRect();
            return {name: el.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"""
    )


def clashes(labels):
    return [(a["name"], b["name"]) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlap(a, b)]
