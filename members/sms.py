"""Sending a text message (短信): one interface, the backend chosen by the SMS_BACKEND setting.

Like Django's e-mail backends: development prints to the console, tests collect messages in
`members.sms.outbox`, and production names a provider class (a subclass of BaseSmsBackend that calls
the provider's API) by its dotted path in the SMS_BACKEND env variable. Callers never pick a backend.
"""

import sys

from django.conf import settings
from django.utils.module_loading import import_string

# What the locmem backend has sent, newest last (tests read and clear it, like django.core.mail.outbox).
outbox = []


class SmsError(Exception):
    """The provider refused or could not be reached; the caller decides whether to retry."""


class BaseSmsBackend:
    def send(self, phone, text):
        """Send `text` to `phone`; raise SmsError when it could not be sent."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, phone, text):
        sys.stdout.write(f"[短信] {phone}: {text}\n")
        sys.stdout.flush()


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, phone, text):
        outbox.append((phone, text))


def send_sms(phone, text):
    import_string(settings.SMS_BACKEND)().send(phone, text)
