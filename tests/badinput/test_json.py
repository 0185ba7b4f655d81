"""JSON read strictly (sites.strict_json): deep nesting, NaN/Infinity, huge numbers and oversized bodies
are a Chinese 400 from the API and a form error in the admin, never a RecursionError or a database error."""

import json

import pytest
from django.urls import reverse

from sites.models import Area
from sites.strict_json import (
    FORM_INVALID,
    HAS_NUL,
    MAX_DEPTH,
    NOT_FINITE,
    TOO_DEEP,
    TOO_LONG,
    StrictJSONDecoder,
)
from tests.factories import CityFactory, CommunityFactory, ProjectFactory, StaffFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 10_000 + "]" * 10_000
BAD_DOCUMENTS = {
    "deep list": (DEEP, TOO_DEEP),
    "deep object": ('{"a":' * 10_000 + "1" + "}" * 10_000, TOO_DEEP),
    "NaN": ('{"attendees": NaN}', NOT_FINITE),
    "Infinity": ('{"attendees": -Infinity}', NOT_FINITE),
    "1e309": ('{"attendees": 1e309}', NOT_FINITE),
    "5000 digits": ('{"attendees": ' + "9" * 5000 + "}", TOO_LONG),
    # A date field's parser ignored a trailing NUL: "2026-05-01T09:00\u0000" booked a room.
    "NUL": ('{"start": "2026-05-01T09:00:00+08:00\\u0000"}', HAS_NUL),
}


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul():
    assert json.loads(r'{"path": "C:\\u0000"}', cls=StrictJSONDecoder) == {"path": "C:\\u0000"}


def test_a_real_boundary_and_brackets_inside_strings_decode():
    polygon = {"type": "MultiPolygon", "coordinates": [[[[120.6, 31.3], [120.7, 31.3], [120.6, 31.4]]]]}
    text = json.dumps({"features": [{"geometry": polygon, "name": "[" * (MAX_DEPTH + 5)}]})
    assert json.loads(text, cls=StrictJSONDecoder)["features"][0]["geometry"] == polygon


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def staff_client(client, community):
    client.force_login(StaffFactory(area=community))
    return client


@pytest.mark.parametrize("url", ["/api/bookings/", "/api/projects/", "/api/projects/{}/advance/"])
@pytest.mark.parametrize("name", BAD_DOCUMENTS)
def test_the_api_answers_a_refused_document_with_a_chinese_400(staff_client, community, url, name):
    body, message = BAD_DOCUMENTS[name]
    url = url.format(ProjectFactory(community=community).pk)
    response = staff_client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and response.json() == {"detail": message}


def test_the_api_refuses_a_body_past_the_upload_limit_in_json(staff_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2**20
    body = {"title": "长" * 2**20}
    response = staff_client.post("/api/projects/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体过大：除上传文件外，最多 1 MB。"}


def test_broken_json_still_gets_the_general_message(staff_client):
    response = staff_client.post("/api/projects/", '{"title": ', content_type="application/json")
    assert response.status_code == 400 and "请求体无法解析" in response.json()["detail"]


@pytest.mark.parametrize("name", BAD_DOCUMENTS)
def test_an_area_boundary_that_is_refused_is_a_form_error(admin_client, name):
    city = CityFactory()
    form = {"name": "新区", "level": "district", "parent": city.pk, "boundary": BAD_DOCUMENTS[name][0]}
    response = admin_client.post(reverse("admin:sites_area_add"), form)
    assert response.status_code == 200 and FORM_INVALID in response.content.decode()
    assert not Area.objects.filter(name="新区").exists()
