"""The admin's widgets drawn by JavaScript (the two-box pickers of groups and permissions, the date and
time shortcuts) in Chinese, as Chromium shows them to the demo's superuser."""

import io

import pytest
from django.core.management import call_command

from members.models import User
from tests.browser.test_phone_pages import login
from tests.test_admin_chinese import WORD, english_words

pytestmark = pytest.mark.django_db(transaction=True)

# Everything read on screen or out loud: the text, and the titles and labels of the widgets' buttons.
# A password's hash summary is data (isolated in <bdi>): taken out before reading.
READ = """() => {
  document.querySelectorAll('bdi').forEach((el) => el.remove());
  return [document.body.innerText,
  ...[...document.querySelectorAll('[title], [aria-label], [placeholder], img[alt]')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => [el.title, el.getAttribute('aria-label'), el.placeholder, el.alt].filter(Boolean).join(' '))
].join(' '); }"""


def test_the_admins_javascript_widgets_are_in_chinese(live_server, page, screenshot):
    call_command("seed_demo", stdout=io.StringIO())
    login(page, live_server.url, "admin")
    data = {w for name in User.objects.values_list("username", flat=True) for w in WORD.findall(name)}
    admin = User.objects.get(username="admin")
    english = {}
    for path in (
        f"/admin/members/user/{admin.pk}/change/",
        "/admin/auth/group/add/",
        "/admin/services/closeddate/add/",
    ):
        assert page.goto(live_server.url + path).status == 200
        page.wait_for_load_state("networkidle")
        for word in english_words(page.evaluate(READ), data):
            english.setdefault(word, path)
    screenshot(page, "admin-closed-date-add")
    page.goto(live_server.url + "/admin/auth/group/add/")
    assert page.get_by_text("选择全部权限").is_visible()
    screenshot(page, "admin-group-add")
    assert not english, english
