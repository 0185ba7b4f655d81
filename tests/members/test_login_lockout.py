"""Login lockout (django-axes): 30 wrong passwords lock an account or an address, on both login pages."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # tests.factories.UserFactory


def attempt(client, username, password, url=None, **extra):
    return client.post(url or reverse("login"), {"username": username, "password": password}, **extra)


def fail(client, username, times, url=None, **extra):
    for _ in range(times):
        response = attempt(client, username, "wrong-password", url, **extra)
        assert response.status_code == 200  # the form again, with its error, until the limit


def test_the_limit_is_thirty_per_account_and_cooloff_an_hour():
    assert settings.AXES_FAILURE_LIMIT == 30
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600


def test_29_failures_still_let_the_right_password_in(client):
    user = UserFactory()
    fail(client, user.username, 29)
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_30_failures_lock_the_account_and_the_right_password_then_fails_in_chinese(client):
    user = UserFactory()
    fail(client, user.username, 29)
    locking = attempt(client, user.username, "wrong-password")
    assert locking.status_code == 429
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and f"账号“{user.username}”" in page and "60 分钟" in page
    assert "_auth_user_id" not in client.session
    # From another address too: the account itself is locked, not just this client.
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert attempt(elsewhere, user.username, PASSWORD).status_code == 429
    # Another account from another address is not affected.
    other = UserFactory()
    assert attempt(elsewhere, other.username, PASSWORD).status_code == 302


def test_30_failures_from_one_address_over_many_accounts_lock_that_address(client):
    for n in range(30):
        attempt(client, f"guess{n}", "wrong-password")
    user = UserFactory()
    assert attempt(client, user.username, PASSWORD).status_code == 429
    assert attempt(Client(REMOTE_ADDR="10.0.0.9"), user.username, PASSWORD).status_code == 302


def test_admin_login_is_protected_too_and_answers_in_the_admins_look(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    fail(client, user.username, 29, url)
    attempt(client, user.username, "wrong-password", url)
    response = attempt(client, user.username, PASSWORD, url)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "海棠花红 · 党群服务中心管理" in page
    assert client.get(reverse("admin:index")).status_code == 302  # still not signed in


def test_the_lock_ends_after_the_cooloff(client):
    user = UserFactory()
    fail(client, user.username, 29)
    attempt(client, user.username, "wrong-password")
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61))
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_a_superuser_unlocks_in_the_admin(client):
    user = UserFactory()
    fail(client, user.username, 29)
    attempt(client, user.username, "wrong-password")
    admin = Client(REMOTE_ADDR="10.0.0.1")
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin.get(changelist).content.decode()
    assert "登录失败计数" in page and "解除锁定" in page and user.username in page
    assert "登录保护" in admin.get(reverse("admin:index")).content.decode()
    rows = AccessAttempt.objects.filter(username=user.username)
    response = admin.post(
        changelist, {"action": "unlock", "_selected_action": [r.pk for r in rows]}, follow=True
    )
    assert f"已解除锁定：{user.username}" in response.content.decode()
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_staff_who_are_not_superusers_do_not_see_lockouts():
    staff = Client()
    staff.force_login(StaffFactory())
    assert staff.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_behind_a_proxy_the_forwarded_address_counts_and_what_the_client_adds_does_not(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(30):
        # A client that makes up its own X-Forwarded-For still gets its real address appended by the proxy.
        attempt(client, f"guess{n}", "wrong-password", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7")
    user = UserFactory()
    assert attempt(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # The proxy's own address (REMOTE_ADDR, 127.0.0.1 here) is not what was locked.
    assert attempt(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
