"""One 市 at the root of the tree: the database refuses a second, the admin and the import say why."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from sites.models import Area, AreaLevel
from tests.factories import CityFactory, DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db

ONE_CITY = "只能有一个市级区域"


@pytest.fixture
def city():
    return CityFactory(code="320500000000")


def test_the_database_refuses_a_second_city(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(name="无锡市", level=AreaLevel.CITY)
    with pytest.raises(IntegrityError), transaction.atomic():
        # bulk_create skips save() and clean(): the constraint alone stops it.
        Area.objects.bulk_create([Area(name="无锡市", level=AreaLevel.CITY, path="9999999/", depth=1)])
    # Nor may a parentless area of another level stand in for a second root (area_root_is_city).
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.bulk_create([Area(name="孤立区", level=AreaLevel.DISTRICT, path="9999998/", depth=2)])
    assert list(Area.objects.filter(parent=None)) == [city]


def test_model_validation_says_it_in_chinese(city):
    second = Area(name="无锡市", level=AreaLevel.CITY)
    with pytest.raises(ValidationError, match=ONE_CITY):
        second.full_clean(exclude=["path", "depth"])
    city.name = "苏州市（新名）"
    city.full_clean(exclude=["path", "depth"])  # the city itself still validates


def test_the_admin_shows_the_message_instead_of_a_500(client, city):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(reverse("admin:sites_area_add"), {"name": "无锡市", "level": AreaLevel.CITY})
    assert response.status_code == 200
    assert ONE_CITY in response.content.decode()
    assert Area.objects.filter(level=AreaLevel.CITY).count() == 1


def test_the_superusers_dashboard_finds_the_one_city(client, city):
    DistrictFactory(parent=city, name="姑苏区")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("projects:dashboard"))
    assert response.status_code == 200
    assert "苏州市" in response.content.decode()


def import_file(tmp_path, text):
    path = tmp_path / "areas.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_areas", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


def test_an_import_row_for_a_second_city_is_a_row_error(tmp_path, city):
    ok, out = import_file(
        tmp_path,
        "编码,名称,层级,上级编码\n"
        "320500000000,苏州市,市,\n"  # the city itself: an update, fine
        "320200000000,无锡市,市,\n",
    )
    assert not ok
    assert f"第 3 行：{ONE_CITY}：系统中已有“苏州市”（编码 320500000000）" in out
    assert "第 2 行" not in out
    assert Area.objects.filter(level=AreaLevel.CITY).count() == 1


def test_two_cities_in_one_file_are_refused(tmp_path):
    ok, out = import_file(
        tmp_path, "编码,名称,层级,上级编码\n320500000000,苏州市,市,\n320200000000,无锡市,市,\n"
    )
    assert not ok
    assert f"第 3 行：{ONE_CITY}：第 2 行已是市" in out
    assert not Area.objects.exists()
