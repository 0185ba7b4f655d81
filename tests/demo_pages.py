"""The pages each demo login sees, on the demo data (seed_demo): the phone test walks them in Chromium,
the breadcrumb and admin tests through the test client.

Logins are the README's: every role the walk-through names.
"""

import re
from html import unescape

from django.utils import timezone

from members.models import User
from projects.models import Project
from services.models import Booking
from sites.models import Area, Site, Venue

ANONYMOUS = ""
ORGANIZERS = ["organizer", "organizer2", "organizer3"]
COMMUNITY_STAFF = ["daoqian"]
STREET_STAFF = ["canglang", "shuangta"]
DISTRICT_ADMINS = ["gusu_admin"]
VOLUNTEERS = ["volunteer"]
SUPERUSERS = ["admin"]
STAFF = [*COMMUNITY_STAFF, *STREET_STAFF, *DISTRICT_ADMINS, *SUPERUSERS]
ROLES = [ANONYMOUS, *ORGANIZERS, *VOLUNTEERS, *STAFF]


def public_pages():
    year = timezone.localdate().year
    site = Site.objects.get(name="双塔街道党群服务中心")
    room = Venue.objects.filter(site=site).order_by("pk").first()
    gusu = Area.objects.get(name="姑苏区")
    daoqian = Area.objects.get(name="道前社区")
    return [
        "/",
        "/sites/",
        site.get_absolute_url(),
        "/areas/",
        f"/areas/{gusu.pk}/",
        daoqian.get_absolute_url(),
        "/rooms/free/",
        f"/rooms/free/?area={gusu.pk}",
        "/rooms/free/?lat=31.300000&lng=120.620000&attendees=10",
        f"/rooms/{room.pk}/",
        f"/rooms/{room.pk}/?view=day",
        "/gongshi/",
        f"/gongshi/area/{gusu.pk}/",
        f"/gongshi/{daoqian.pk}/{year}/",
        "/gongshi/showcase/",
        "/activities/",
        "/volunteers/rewards/",
        f"/volunteers/ranking/?area={gusu.pk}",
        f"/volunteers/ranking/?area={daoqian.pk}",
    ]


def staff_pages(username):
    """The staff pages of one staff login: lists, its dashboard, each project it may open."""
    user = User.objects.get(username=username)
    projects = Project.objects.visible_to(user).values_list("pk", flat=True)
    return [
        "/bookings/review/",
        "/projects/",
        "/projects/new/",
        "/projects/dashboard/",
        "/members/",
        "/members/?status=full",
        "/members/reporting/",
        "/volunteers/review/",
        "/volunteers/handover/",
        "/compliance/",
        *(f"/projects/{pk}/" for pk in projects),
    ]


def pages_for(username):
    """Every page a login sees (anonymous: ""), the admin's index included for staff."""
    pages = public_pages()
    if not username:
        return [*pages, "/accounts/login/", "/accounts/password_reset/", "/volunteers/register/"]
    if username in VOLUNTEERS:
        return [*pages, "/volunteers/me/", "/volunteers/services/new/", "/me/", "/me/inbox/"]
    room = Venue.objects.filter(site__name="双塔街道党群服务中心").order_by("pk").first()
    pages += ["/todo/", "/bookings/mine/", f"/rooms/{room.pk}/book/", "/me/", "/me/inbox/"]
    if username in ORGANIZERS:
        pages.append("/organizations/mine/life/")  # the branch's 组织生活 (the demo's year of meetings)
    mine = Booking.objects.filter(organizer__username=username, start__gt=timezone.now()).first()
    if mine:
        pages.append(f"/bookings/{mine.pk}/cancel/")
    if username in STAFF:
        pages += [*staff_pages(username), "/admin/"]
    return pages


ADMIN_LIST = re.compile(r'href="(/admin/[a-z_]+/[a-z_]+/(?:add/)?)"')
ADMIN_OBJECT = re.compile(r'href="(/admin/[a-z_]+/[a-z_]+/\d+/change/)"')
ADMIN_VERSION = re.compile(r'href="(/admin/[a-z_]+/[a-z_]+/\d+/history/\d+/)"')


def admin_pages(client):
    """{url: html} of the admin pages a signed-in client reaches from the index: each changelist and
    add form linked there, the first row's change page, its history and its oldest version shown."""
    pages = {}
    queue = ["/admin/"]
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        html = pages[url] = response.content.decode()
        if url == "/admin/":
            queue += ADMIN_LIST.findall(html)
        elif re.fullmatch(r"/admin/[a-z_]+/[a-z_]+/", url):
            for change in ADMIN_OBJECT.findall(html)[:1]:
                queue += [change, change.replace("/change/", "/history/")]
        elif url.endswith("/history/"):
            queue += ADMIN_VERSION.findall(html)[-1:]
    return pages


def visible_text(html):
    """What a person reads or hears: the text, and the alt, title, aria-label and placeholder texts
    and button values a screen reader reads out. User data isolated in <bdi> (a password's hash
    summary) and scripts are left out."""
    html = re.sub(r"(?is)<(script|style|bdi)\b.*?</\1>", " ", html)
    attributes = re.findall(r'(?i)\s(?:title|aria-label|placeholder|alt)="([^"]*)"', html)
    values = re.findall(r'(?i)<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', html)
    return unescape(" ".join([re.sub(r"(?s)<[^>]+>", " ", html), *attributes, *values]))


BREADCRUMBS = re.compile(
    r'(?s)<(nav|div) class="(?:crumbs|breadcrumbs)[^"]*"[^>]*>(.*?)</\1>',
)


def breadcrumb_links(html):
    return [
        unescape(href)
        for _tag, crumbs in BREADCRUMBS.findall(html)
        for href in re.findall(r'href="([^"]*)"', crumbs)
    ]
