"""Errors speak Chinese: Django's pages for 400/403/404/500 and the API's 404s, never its English defaults."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.factories import SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_chinese_404_page(client):
    response = client.get("/sites/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_a_missing_api_object_is_a_chinese_json_404(client):
    response = client.get(reverse("sites:api-site-detail", args=[999999]))
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到：该记录不存在，或不在您的权限范围内。"}


def test_an_unknown_api_address_is_json_not_an_html_page(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/docs/" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "says"),
    [("{", "请求体无法解析"), ('{"title": NaN', "不能有 NaN"), ("null", "请求体为空")],
)
def test_an_unreadable_api_body_is_a_chinese_400(client, body, says):
    client.force_login(UserFactory())
    response = client.post(reverse("services:api-bookings"), body, content_type="application/json")
    assert response.status_code == 400 and says in response.json()["detail"]


def test_a_short_password_is_refused_in_chinese(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("password_change"),
        {"old_password": "pass-word-123", "new_password1": "x7!", "new_password2": "x7!"},
    )
    assert "密码太短，至少需要 8 个字符。" in response.content.decode()


def test_a_form_posted_without_its_csrf_token_explains_in_chinese():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "页面已过期，请重新提交" in response.content.decode()


def test_a_forbidden_page_says_why_in_chinese(client):
    client.force_login(UserFactory())  # an organiser, not staff
    response = client.get(reverse("services:review-queue"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权访问" in body and "仅限工作人员。" in body


def test_a_bad_parameter_page_names_what_to_fix(client):
    venue = SiteFactory().venues.create(name="活动室", capacity=20)
    response = client.get(reverse("services:room-detail", args=[venue.pk]), {"date": "2026-13-01"})
    assert response.status_code == 400
    assert "日期应写成 年-月-日" in response.content.decode()


def test_the_server_error_page_renders_without_a_request_context():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器暂时出错" in response.content.decode()


def test_a_bad_or_unknown_api_filter_is_a_400_never_ignored(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    projects = reverse("projects:api-project-list")
    assert client.get(projects, {"showcase": "true"}).status_code == 200
    maybe = client.get(projects, {"showcase": "maybe"})
    assert maybe.status_code == 400 and "应为 true 或 false" in maybe.json()["showcase"][0]
    unknown = client.get(projects, {"colour": "red"})
    assert unknown.status_code == 400 and "未知的查询参数“colour”" in unknown.json()["colour"][0]
    bookings = reverse("services:api-bookings")
    assert client.get(bookings, {"status": "pending"}).status_code == 200
    assert client.get(bookings, {"status": "bogus"}).status_code == 400


def test_an_unknown_api_format_says_so(client):
    site = SiteFactory()
    response = client.get(reverse("sites:api-site-detail", args=[site.pk]), {"format": "bogus"})
    assert response.status_code == 404 and "不支持的格式 format=bogus" in response.json()["detail"]
    assert client.get(reverse("sites:api-site-detail", args=[site.pk]), {"format": "json"}).status_code == 200


def test_a_nul_character_is_named_in_chinese(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("services:api-bookings"),
        {"title": "a\x00b"},
        content_type="application/json",
    )
    # Refused with the whole body, as a NUL anywhere in a form is (sites.strict_json).
    assert response.status_code == 400 and "不能有空字符（NUL" in response.json()["detail"]
