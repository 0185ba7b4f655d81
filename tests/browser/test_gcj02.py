"""The WGS-84 ⇄ GCJ-02 conversion (static/js/gcj02.js) run as the browser runs it, in Chromium.

The module is served from disk on a made-up origin, so these tests need neither a database nor a server.
"""

from pathlib import Path

import pytest

MODULE = Path(__file__).resolve().parents[2] / "static" / "js" / "gcj02.js"
ORIGIN = "http://gcj02.test"


@pytest.fixture
def convert(page):
    """convert("wgs84ToGcj02", [[lat, lng], …]) → [[lat, lng], …] computed by the module in Chromium."""

    def serve(route):
        if route.request.url == f"{ORIGIN}/gcj02.js":
            route.fulfill(body=MODULE.read_text(), content_type="text/javascript")
        else:
            route.fulfill(body="<!doctype html><title>gcj02</title>", content_type="text/html")

    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")

    def run(function, points):
        return page.evaluate(
            """async ([name, points]) => {
                const module = await import("/gcj02.js");
                return points.map(([lat, lng]) => module[name](lat, lng));
            }""",
            [function, points],
        )

    return run


# Published reference: wandergis/coordtransform's own example, WGS-84 (39.915, 116.404) in 北京.
REFERENCE_WGS84 = (39.915, 116.404)
REFERENCE_GCJ02 = (39.91640428150164, 116.41024449916938)

IN_CHINA = [
    (31.2990, 120.5853),  # 苏州, 姑苏区
    (31.3052, 120.6101),
    (31.2676, 120.7365),  # 苏州工业园区
    (31.6574, 120.7523),  # 常熟
    (39.9150, 116.4040),  # 北京
    (22.5431, 114.0579),  # 深圳
    (43.8171, 125.3235),  # 长春
]
OUTSIDE_CHINA = [(51.5007, -0.1246), (40.7128, -74.0060), (-33.8688, 151.2093), (35.6762, 139.6503)]


def test_forward_shift_matches_the_published_reference(convert):
    [(lat, lng)] = convert("wgs84ToGcj02", [REFERENCE_WGS84])
    assert lat == pytest.approx(REFERENCE_GCJ02[0], abs=1e-9)
    assert lng == pytest.approx(REFERENCE_GCJ02[1], abs=1e-9)


def test_points_in_china_shift_a_plausible_few_hundred_metres_and_round_trip(convert):
    shifted = convert("wgs84ToGcj02", IN_CHINA)
    back = convert("gcj02ToWgs84", shifted)
    for (lat, lng), (g_lat, g_lng), (b_lat, b_lng) in zip(IN_CHINA, shifted, back, strict=True):
        # The GCJ-02 offset in eastern China is a few hundred metres: 0.001°–0.007° on each axis.
        assert 0.001 < abs(g_lat - lat) < 0.007 and 0.001 < abs(g_lng - lng) < 0.007, (lat, lng)
        assert 0.002 < max(abs(g_lat - lat), abs(g_lng - lng)) < 0.007, (lat, lng)
        # Back again to well under a millimetre (1e-6° ≈ 0.1 m is the bound the admin needs).
        assert abs(b_lat - lat) < 1e-8 and abs(b_lng - lng) < 1e-8, (lat, lng, b_lat, b_lng)


def test_苏州_shifts_south_east_as_高德_draws_it(convert):
    [(lat, lng)] = convert("wgs84ToGcj02", [(31.2990, 120.5853)])
    # In 苏州 a WGS-84 point lies ≈240 m north and ≈400 m west of where 高德 draws it.
    assert -0.0030 < lat - 31.2990 < -0.0015
    assert 0.0035 < lng - 120.5853 < 0.0050


def test_points_outside_china_are_left_alone_both_ways(convert):
    for function in ("wgs84ToGcj02", "gcj02ToWgs84"):
        assert convert(function, OUTSIDE_CHINA) == [list(point) for point in OUTSIDE_CHINA]
