"""On a phone: the organiser scans the room's QR code, checks in; the coverage map draws without tiles."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services.models import Booking
from tests.factories import BookingFactory, CommunityFactory, SiteFactory, TownFactory, VenueFactory

pytestmark = pytest.mark.django_db(transaction=True)


def offline(page, live_server):
    """Only our own server answers: no tile server is reachable."""
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_an_organiser_checks_in_at_the_room_on_a_phone(live_server, phone_page, login, screenshot):
    start = timezone.now() + dt.timedelta(minutes=10)
    booking = BookingFactory(
        venue=VenueFactory(name="多功能厅"), start=start, end=start + dt.timedelta(hours=1)
    )
    login(phone_page, booking.organizer)
    # What the QR code on the door opens.
    phone_page.goto(f"{live_server.url}/rooms/{booking.venue_id}/checkin/")
    button = phone_page.get_by_role("button", name="确认签到")
    expect(button).to_be_visible()
    assert fits(phone_page)
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 375
    screenshot(phone_page, "booking-checkin-phone")
    button.click()
    expect(phone_page.get_by_text("签到成功")).to_be_visible()
    expect(phone_page.get_by_text("已于")).to_be_visible()
    assert Booking.objects.get(pk=booking.pk).checked_in_at is not None


def test_the_coverage_map_draws_the_communities_with_no_tiles(live_server, phone_page, screenshot):
    offline(phone_page, live_server)
    town = TownFactory(name="双塔街道")
    near = CommunityFactory(parent=town, name="道前社区", latitude="31.300000", longitude="120.600000")
    CommunityFactory(parent=town, name="远郊社区", latitude="31.300000", longitude="120.650000")
    SiteFactory(area=near, latitude="31.301000", longitude="120.600000")
    phone_page.goto(f"{live_server.url}/coverage/map/")
    markers = phone_page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    expect(markers).to_have_count(2)
    assert fits(phone_page)
    screenshot(phone_page, "coverage-map-phone")
    expect(phone_page.locator("#coverage-summary")).to_contain_text("50%")
