"""config/urls.py lists the busiest app first (Django tries patterns in order). That is only safe while
no address depends on the order: every route's own address must reach that route, whatever came first."""

import re

from django.urls import get_resolver, resolve
from django.urls.resolvers import RoutePattern, URLResolver

SAMPLE = {"int": "7", "str": "abc", "slug": "abc-d", "path": "a/b"}
# Listed before Django's own on purpose, at the same address (config/urls.py says why).
OVERRIDES = {"/accounts/password_reset/"}


def routes(patterns, prefix=""):
    """(address made from the route, its view) for every `path()` route outside the admin."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # re_path: the media files in development
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from routes(pattern.url_patterns, route)
            continue
        address = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)
        yield "/" + address, pattern.callback


def test_every_route_is_reached_at_its_own_address():
    found = list(routes(get_resolver().url_patterns))
    assert len(found) > 100
    shadowed = {address for address, view in found if resolve(address).func is not view}
    assert shadowed == OVERRIDES
