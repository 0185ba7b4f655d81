"""Open311 GeoReport v2: the v2 field lists, JSON and XML, the filters, and no personal data."""

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from services import demands as ops
from services.open311 import REQUEST_FIELDS, SERVICE_FIELDS
from tests.factories import DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(resident, staff, category, grid):
    demand = DemandFactory(
        resident=resident, category=category, grid=grid, title="3号楼电动车乱停，电话13912345678",
        description="李阿姨说：启发广场3号楼2单元门口", latitude="31.339999", longitude="120.629999",
        address="启发广场3号楼2单元",
    )  # fmt: skip
    ops.accept(demand=demand, by=staff)
    DemandFactory(resident=resident, category=category, title="还没受理的")
    return demand


def get(client, name, fmt="json", pk=None, **params):
    args = [pk, fmt] if pk else [fmt]
    return client.get(reverse(f"services:open311-{name}", args=args), params)


def test_services_have_the_v2_fields(client, category):
    [service] = get(client, "services").json()
    assert list(service) == SERVICE_FIELDS
    assert (service["service_code"], service["service_name"], service["metadata"]) == (
        str(category.pk),
        "设施维修",
        False,
    )
    root = ElementTree.fromstring(get(client, "services", "xml").content)
    assert [e.tag for e in root.find("service")] == SERVICE_FIELDS


def test_requests_have_the_v2_fields_and_no_personal_data(client, published, grid, resident):
    response = get(client, "requests")
    [row] = response.json()
    assert list(row) == REQUEST_FIELDS
    assert (row["service_request_id"], row["status"], row["status_notes"]) == (
        str(published.pk),
        "open",
        "已受理",
    )
    assert (row["lat"], row["long"]) == (float(grid.latitude), float(grid.longitude))  # the grid's centre
    assert row["address"] == "启发广场社区"
    text = response.content.decode()
    for private in ("13912345678", resident.user.phone, "李阿姨", "2单元", "31.339999"):
        assert private not in text
    root = ElementTree.fromstring(get(client, "requests", "xml").content)
    assert root.tag == "service_requests" and [e.tag for e in root.find("request")] == REQUEST_FIELDS
    assert get(client, "request", pk=published.pk).json()[0]["service_request_id"] == str(published.pk)


def test_filters_and_errors(client, published, category):
    assert get(client, "requests", status="closed").json() == []
    assert len(get(client, "requests", status="open", service_code=str(category.pk)).json()) == 1
    assert get(client, "requests", service_code="999999").json() == []
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert get(client, "requests", start_date=tomorrow).json() == []
    bad = get(client, "requests", status="maybe")
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400
    assert get(client, "requests", jurisdiction_id="elsewhere").status_code == 404
    assert get(client, "requests", start_date="yesterday").status_code == 400
    assert get(client, "request", pk=published.pk + 1).status_code == 404  # not accepted: not public
    xml_error = ElementTree.fromstring(get(client, "requests", "xml", status="x").content)
    assert xml_error.tag == "errors" and xml_error.find("error/code").text == "400"
