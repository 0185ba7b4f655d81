"""The client's IP address, as login lockouts and throttles count it.

Behind a reverse proxy REMOTE_ADDR is the proxy's address: counting it would lock out everyone at once.
With TRUSTED_PROXY_COUNT = N the address is the N-th entry from the right of X-Forwarded-For, the one
the outermost trusted proxy saw; entries further left are whatever the client claimed, never trusted.
DRF's throttles read the same number (REST_FRAMEWORK["NUM_PROXIES"]) and count the same way.
"""

from django.conf import settings


def client_ip(request):
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR")
