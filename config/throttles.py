"""API write throttle: POST, PUT, PATCH and DELETE per user; reads (the public map) are never limited.

DRF keeps the counts in Django's default cache, which is Redis when REDIS_URL is set, so every host
counts against the same budget. The 429's Chinese message is written in config/errors.py.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle


class WriteRateThrottle(UserRateThrottle):
    """One budget for all of a user's writes (bookings, projects, expenses); an anonymous write is
    refused by the permissions before any throttle runs, and would count per address."""

    scope = "api_write"

    def get_rate(self):
        # DRF binds THROTTLE_RATES when the class is defined; reading it here lets a changed
        # REST_FRAMEWORK setting (a test's low rate) take effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
