"""The admin as each staff login of the demo sees it: in Chinese throughout, and offering only the
actions that login's role may run."""

import io
import re

import pytest
from axes.models import AccessLog
from django.core.management import call_command

from members.models import Member, PointRule, User
from projects.models import Status
from projects.workflow import TRANSITIONS
from tests.demo_pages import COMMUNITY_STAFF, DISTRICT_ADMINS, STAFF, STREET_STAFF, admin_pages, visible_text

pytestmark = pytest.mark.django_db

# Words that stay as they are in Chinese text: abbreviations, formats and the keys of a keyboard
# (Django's own Chinese help for a multiple select names “Control” and “Command” on a Mac).
ALLOWED = {"API", "CSV", "Excel", "ID", "IP", "HTTP", "GeoJSON", "WGS", "PDF", "JPG", "PNG", "Control"}
ALLOWED |= {"Command", "Mac", "MB"}  # MB: a file size limit
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def english_words(text, data):
    """The words of `text` in Latin letters that are neither allowed nor data (a username)."""
    return [w for w in WORD.findall(text) if w not in ALLOWED and w not in data]


@pytest.mark.parametrize("username", STAFF)
def test_every_admin_page_a_staff_member_opens_is_in_chinese(client, demo, username):
    client.force_login(User.objects.get(username=username))
    pages = admin_pages(client)
    assert len(pages) > 20  # changelists, add and change forms, histories
    # Usernames (daoqian, gusu_admin) are what staff typed, shown as typed; a login's browser and
    # address are what the browser sent (the test client sends none: axes logs "<unknown>").
    typed = [*User.objects.values_list("username", flat=True)]
    typed += AccessLog.objects.values_list("user_agent", flat=True)
    # A points rule's code is an identifier staff type (kunnan-bangfu); an ID number may end in X.
    typed += PointRule.objects.values_list("code", flat=True)
    typed += Member.objects.values_list("id_number_last4", flat=True)
    data = {word for value in typed for word in WORD.findall(value)}
    english = {}
    for url, html in pages.items():
        for word in english_words(visible_text(html), data):
            english.setdefault(word, url)
    assert not english, "\n".join(f"{word!r} on {url}" for word, url in english.items())


def test_the_text_check_finds_english_where_django_left_it():
    # What the admin showed before: the app list's hidden headers, a permission, a boolean's alt text.
    html = '<th class="visually-hidden">Model name</th><td>Can add log entry</td><img alt="True">'
    assert english_words(visible_text(html), set()) == ["Model", "name", "Can", "add", "log", "entry", "True"]
    assert english_words(visible_text('<span title="导出 CSV">ID</span>'), set()) == []


def test_permissions_and_booleans_read_in_chinese(client, demo):
    client.force_login(User.objects.get(username="admin"))
    html = client.get("/admin/auth/group/add/").content.decode()
    assert "账号与组织 | 用户 | 可添加用户" in html and "管理 | 日志记录 | 可查看日志记录" in html
    assert "Can add" not in html
    html = client.get("/admin/members/user/").content.decode()
    assert 'alt="是"' in html and 'alt="True"' not in html


def action_labels(client, url):
    html = client.get(url).content.decode()
    select = re.search(r'(?s)<select name="action"[^>]*>(.*?)</select>', html)
    return set(re.findall(r'<option value="[^"]+">([^<]+)</option>', select.group(1))) if select else set()


def step_labels(role):
    return {f"{t.action}（{Status(t.target).label}）" for t in TRANSITIONS if t.role == role}


@pytest.mark.parametrize("username", [*COMMUNITY_STAFF, *STREET_STAFF, *DISTRICT_ADMINS, "admin"])
def test_admin_actions_are_offered_only_to_roles_that_may_run_them(client, demo, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    steps = action_labels(client, "/admin/projects/project/")
    decisions = action_labels(client, "/admin/projects/expense/")
    every_step = {label for t in TRANSITIONS for label in step_labels(t.role)}
    if user.is_superuser:
        assert steps == every_step
        assert decisions == {"通过所选支出", "退回所选支出（请在“说明/原因”中填写原因）"}
        return
    assert steps == {label for t in TRANSITIONS if user.acts_as(t.role) for label in step_labels(t.role)}
    assert bool(steps) == (username not in DISTRICT_ADMINS)
    assert bool(decisions) == (username in STREET_STAFF)
    # Rooms' bookings: every staff role decides its own area's, so all three are offered.
    assert action_labels(client, "/admin/services/booking/") == {
        "批准所选预约",
        "驳回所选预约（需填写原因）",
        "取消所选预约",
        "解除所选预约组织者的未到场限制（需填写原因）",
    }
