"""The booking flow a newcomer walks: only slots still ahead are offered, cancelling asks first and says
what goes, 改订 carries the form and waits, 跳过冲突 only with a clash, same-site rooms, the calendar."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from services.booking import book_series, series_spans
from services.models import Booking, BookingStatus, CalendarFeed
from tests.factories import (
    BookingFactory,
    SiteFactory,
    UserFactory,
    VenueFactory,
    VenueRulesFactory,
    local,
    next_weekday,
)

pytestmark = pytest.mark.django_db


def form_data(date, start="09:00", end="10:00", **extra):
    return {
        "date": date.isoformat(),
        "start_time": start,
        "end_time": end,
        "title": "主题党日",
        "purpose": "party_day",
        "group_name": "第一党支部",
        "attendees": "10",
        "contact_phone": "13812345678",
        "repeat": "",
        **extra,
    }


def test_a_slot_that_has_begun_is_never_a_link(client, monkeypatch):
    venue = VenueFactory()
    monday = next_weekday(0)  # open 09:00–17:00

    def offered(hour, minute):
        monkeypatch.setattr(timezone, "now", lambda: local(monday, hour, minute))
        day = reverse("services:room-detail", args=[venue.pk])
        html = client.get(day, {"view": "day", "date": monday.isoformat()}).content.decode()
        site_html = client.get(venue.site.get_absolute_url()).content.decode()
        return re.findall(r'class="slot slot-free" href="[^"]*">([0-9:–]+) 空闲', html), site_html

    slots, site_html = offered(15, 55)
    assert slots[0] == "16:00–17:00"  # not begun yet: offered
    slots, site_html = offered(16, 5)
    assert "16:00–17:00" not in slots and slots == []
    assert "16:00–17:00</a>" not in site_html  # the site page's 今日空闲 chips follow the same rule


def test_cancel_asks_first_and_names_what_goes(client):
    organizer = UserFactory()
    venue = VenueFactory()
    VenueRulesFactory(venue=venue, advance_days=60)
    monday = timezone.localdate() + dt.timedelta(days=(7 - timezone.localdate().weekday()))
    spans = series_spans(
        start=local(monday, 9), end=local(monday, 10), frequency="weekly", weekdays=[0], count=4
    )
    _, booked, _ = book_series(
        venue=venue, organizer=organizer, spans=spans, frequency="weekly", weekdays=[0], title="每周学习",
        purpose="training", attendees=5, contact_phone="13812345678", group_name="学习小组",
        organization=None, skip_clashing=False,
    )  # fmt: skip
    client.force_login(organizer)
    mine = client.get(reverse("services:my-bookings")).content.decode()
    assert "onclick" not in mine and "confirm(" not in mine
    # 取消本次及以后 from the second: the page lists the three that go, and nothing is cancelled yet.
    url = reverse("services:cancel", args=[booked[1].pk])
    page = client.get(url, {"and_later": "on"})
    html = page.content.decode()
    assert page.status_code == 200 and "3 次" in html and html.count('class="meta"') == 3
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 0
    client.post(url, {"and_later": "on"})
    statuses = list(Booking.objects.order_by("start").values_list("status", flat=True))
    assert statuses == [BookingStatus.CONFIRMED] + [BookingStatus.CANCELLED] * 3
    # A single one: the page says 1 次 and names it.
    single = client.get(reverse("services:cancel", args=[booked[0].pk])).content.decode()
    assert "1 次" in single and "每周学习" in single


def test_rebook_elsewhere_fills_the_form_and_waits(client):
    monday = timezone.localdate() + dt.timedelta(days=(7 - timezone.localdate().weekday()))
    site = SiteFactory(latitude="31.300000", longitude="120.600000")
    venue = VenueFactory(site=site)
    sibling = VenueFactory(site=site, name="同楼议事厅")
    near = VenueFactory(site=SiteFactory(latitude="31.300000", longitude="120.605000"), name="隔壁多功能厅")
    BookingFactory(venue=venue, start=local(monday, 9), end=local(monday, 10))
    client.force_login(UserFactory())
    conflict = client.post(reverse("services:book", args=[venue.pk]), form_data(monday)).content.decode()
    sibling_row = conflict[conflict.index(sibling.name) :][:400]
    assert "同一阵地" in sibling_row and "约 0 米" not in conflict
    assert "约 " in conflict[conflict.index(near.name) :][:400]
    # 改订 posts the typed form to the other room with prefill: the form comes back filled, nothing booked.
    carried = client.post(reverse("services:book", args=[near.pk]), {**form_data(monday), "prefill": "1"})
    html = carried.content.decode()
    assert carried.status_code == 200 and "尚未预约" in html
    assert 'value="主题党日"' in html and 'value="09:00"' in html
    assert not Booking.objects.filter(venue=near).exists()


def test_skip_clashes_is_offered_only_when_something_clashes(client):
    venue = VenueFactory()
    VenueRulesFactory(venue=venue, advance_days=60)
    monday = timezone.localdate() + dt.timedelta(days=(7 - timezone.localdate().weekday()))
    client.force_login(UserFactory())
    data = form_data(monday, repeat="weekly", weekdays=["0"], count="3")
    url = reverse("services:book", args=[venue.pk])
    assert "跳过冲突" not in client.post(url, data).content.decode()
    BookingFactory(venue=venue, start=local(monday, 9), end=local(monday, 10))
    assert "跳过冲突，预约其余" in client.post(url, data).content.decode()


def test_calendar_address_has_copy_webcal_and_qr(client):
    organizer = UserFactory()
    feed = CalendarFeed.objects.create(owner=organizer)
    client.force_login(organizer)
    html = client.get(reverse("services:my-bookings")).content.decode()
    address = f"http://testserver/calendar/{feed.token}.ics"
    assert f'value="{address}"' in html and "data-copy=" in html
    assert f'href="webcal://testserver/calendar/{feed.token}.ics"' in html
    assert "<svg" in html and "日历订阅地址二维码" in html
    assert "js/copy.js" in html and 'style="' not in html
