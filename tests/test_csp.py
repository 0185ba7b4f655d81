"""Content-Security-Policy on every response: pages, admin, API, error pages, static files."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path, reverse

from config import urls as project_urls
from tests.factories import ExpenseFactory, StaffFactory
from tests.main_pages import build

pytestmark = pytest.mark.django_db

STRICT = (
    "default-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


def policy(response):
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def test_every_main_page_has_the_strict_policy():
    pages, users = build()
    clients = {who: Client() for who in users}
    for who, user in users.items():
        if user:
            clients[who].force_login(user)
    for page in pages:
        response = clients[page.who].get(page.url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, page
        header = response["Content-Security-Policy"]
        if page.name == "api-browsable":  # see the next test
            continue
        for directive in STRICT:
            assert directive in header, (page, header)
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, page
        assert policy(response)["img-src"] == "'self' data: https://tile.openstreetmap.org", page


def test_a_map_page_has_no_inline_script_and_no_nonce():
    """The leaflet set-up is a static module (static/js/leaflet_init.js): a cached copy of the page
    runs under any visitor's policy."""
    pages, _ = build()
    first, second = Client().get(pages[0].url), Client().get(pages[0].url)
    assert policy(first)["script-src"] == "'self'"
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    page = first.content.decode()
    assert "nonce" not in page and "js/leaflet_init.js" in page and "data-djoptions" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.replace('type="application/json"', "src=json"))


def test_api_docs_come_from_our_static_files_under_the_strict_policy():
    response = Client().get(reverse("api-docs"))
    assert response.status_code == 200
    for directive in STRICT:
        assert directive in response["Content-Security-Policy"]
    assert "worker-src" not in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "http" not in page  # no CDN, no font service


@pytest.mark.parametrize(
    "url", ["/api/sites/", "/api/areas/", "/api/schema/", "/api/no-such-thing/", "/sites/999999/", "/nope/"]
)
def test_api_answers_and_error_pages_carry_it_too(url):
    assert "default-src 'self'" in Client().get(url)["Content-Security-Policy"]


def test_drfs_browsable_pages_may_use_inline_styles_but_never_inline_scripts(client):
    client.force_login(StaffFactory())
    html = client.get(reverse("services:api-bookings"), HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    directives = policy(html)
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["script-src"] == "'self'"
    json = client.get(reverse("services:api-bookings"))
    assert policy(json)["style-src"] == "'self'"


def test_a_403_carries_it_too(client):
    client.force_login(StaffFactory())
    assert (
        "frame-ancestors 'none'"
        in client.get(reverse("admin:axes_accessattempt_changelist"))["Content-Security-Policy"]
    )


def boom(request):
    raise RuntimeError("a test's deliberate failure")


urlpatterns = [path("boom/", boom), *project_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_the_500_page_carries_it_and_needs_no_inline_style():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "style=" not in response.content.decode()


def test_the_receipt_keeps_its_own_sandbox_policy(client):
    expense = ExpenseFactory()
    client.force_login(StaffFactory(area=expense.project.community))
    response = client.get(reverse("projects:expense-receipt", args=[expense.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"


def test_no_template_loads_anything_from_another_host():
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for marker in ('src="http', "src='http", 'href="http', "url(http", "@import"):
            assert marker not in text, (template, marker)
