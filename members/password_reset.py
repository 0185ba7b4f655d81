"""Password-reset requests, limited per client address and per e-mail address (PASSWORD_RESET_RATE).

Each sends an e-mail, so without a limit the form would let anyone flood a mailbox or our mail server.
The counts are fixed windows in Django's default cache (Redis with REDIS_URL, shared by every host):
`add` then `incr` is atomic there, so simultaneous requests cannot slip past the limit together.
"""

import hashlib
import math
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache

from config.client_ip import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """ "5/hour" → (5, 3600), in DRF's notation (only the period's first letter counts)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0]]


def seconds_to_wait(kind, ident, *, rate=None, scope="password-reset"):
    """Counts one request in the current window; 0 if it is within the limit, else the seconds left.

    `rate` ("5/hour") defaults to PASSWORD_RESET_RATE; `scope` keeps other counts (SMS codes) apart.
    """
    limit, period = parse_rate(rate or settings.PASSWORD_RESET_RATE)
    now = time.time()
    key = f"{scope}:{kind}:{ident}:{int(now // period)}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, count := 1, timeout=period)
    return 0 if count <= limit else math.ceil(period - now % period)


def in_words(seconds):
    return f"{math.ceil(seconds / 60)} 分钟" if seconds >= 60 else f"{seconds} 秒"


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        # The address first: a client over its own limit must not use up a victim's e-mail allowance.
        wait = seconds_to_wait("ip", client_ip(self.request)) or seconds_to_wait(
            "email", hashlib.sha256(email.encode()).hexdigest()
        )
        if wait:
            form.add_error(None, f"找回密码的请求过于频繁，请 {in_words(wait)}后再试。")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
