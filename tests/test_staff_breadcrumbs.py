"""Every breadcrumb link on every page a staff login of the demo opens leads somewhere (200): the
dashboard's 苏州市 › 姑苏区 once led a street's staff to a 404 (another area's dashboard)."""

import io
import re
from urllib.parse import urljoin

import pytest
from django.core.management import call_command

from members.models import User
from tests.demo_pages import STAFF, admin_pages, breadcrumb_links, pages_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", STAFF)
def test_every_breadcrumb_on_a_staff_page_opens(client, username):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username=username))
    pages = {url: client.get(url) for url in pages_for(username)}
    pages = {url: r.content.decode() for url, r in pages.items() if r.status_code == 200}
    # The dashboards one level down, as its table links them, and the admin's pages.
    dashboard = pages["/projects/dashboard/"]
    for href in sorted(set(re.findall(r'href="(\?area=\d+&amp;year=\d+)"', dashboard)))[:5]:
        url = urljoin("/projects/dashboard/", href.replace("&amp;", "&"))
        pages[url] = client.get(url).content.decode()
    pages |= admin_pages(client)
    broken, walked = [], 0
    for url, html in pages.items():
        for href in breadcrumb_links(html):
            walked += 1
            target = urljoin(url, href)
            status = client.get(target).status_code
            if status != 200:
                broken.append(f"{url}: “{href}” → {status}")
    assert walked > len(pages)  # most pages have breadcrumbs
    assert not broken, "\n".join(broken)
