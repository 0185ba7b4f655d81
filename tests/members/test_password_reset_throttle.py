"""Password-reset requests: at most 5 an hour per client address and per e-mail address."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ask(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_the_sixth_request_in_an_hour_is_refused_in_chinese_with_the_input_kept(client, settings):
    assert settings.PASSWORD_RESET_RATE == "5/hour"
    UserFactory(email="me@example.com")
    for _ in range(5):
        assert ask(client, "me@example.com").status_code == 302
    assert len(mail.outbox) == 5
    refused = ask(client, "me@example.com")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "找回密码的请求过于频繁" in page and "分钟后再试" in page
    assert 'value="me@example.com"' in page
    assert len(mail.outbox) == 5  # no sixth e-mail


def test_per_address_and_per_email(settings):
    settings.PASSWORD_RESET_RATE = "2/hour"
    UserFactory(email="a@example.com")
    UserFactory(email="b@example.com")
    one_address = Client(REMOTE_ADDR="10.0.0.1")
    assert ask(one_address, "a@example.com").status_code == 302
    assert ask(one_address, "b@example.com").status_code == 302
    assert ask(one_address, "c@example.com").status_code == 429  # the address has used its two
    # The same mailbox from other addresses: its own two, then refused (case makes no difference).
    assert ask(Client(REMOTE_ADDR="10.0.0.2"), "A@example.com").status_code == 302
    assert ask(Client(REMOTE_ADDR="10.0.0.3"), "a@example.com").status_code == 429
    # A refused address did not use up a mailbox's allowance.
    assert ask(Client(REMOTE_ADDR="10.0.0.4"), "b@example.com").status_code == 302


def test_an_invalid_address_is_a_form_error_not_a_count(client, settings):
    settings.PASSWORD_RESET_RATE = "1/hour"
    assert ask(client, "not-an-email").status_code == 200
    assert ask(client, "me@example.com").status_code == 302
