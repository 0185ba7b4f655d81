"""Several evidence photos per service record: uploaded at once from the phone form or the API, each
checked by its content (the bad one named), shown to the verifying staff and in the admin, private to
the volunteer and those staff; the migration keeps each record's single photo."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from PIL import Image

from members.errors import Refusal
from members.models import ServicePhoto, ServiceRecord
from members.service_records import submit_service
from sites.models import LEVEL_DEPTH
from tests.factories import PointRuleFactory, UserFactory, photo_file

from .test_pages import client_for

pytestmark = pytest.mark.django_db

FORM = {"title": "楼道堆物排查", "place": "3幢", "served_on": "2026-01-05", "units": "2"}


def png_file(name="after.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 40)).save(buffer, "PNG")
    return photo_file(name, buffer.getvalue())


@pytest.fixture
def rule(community):
    return PointRuleFactory(area=community, evidence_required=True, name="隐患排查", points_per_unit=5)


def test_the_form_takes_several_photos_and_staff_see_them_all(volunteer, community_staff, rule):
    client = client_for(volunteer.user)
    form = client.get(reverse("volunteers:service-new")).content.decode()
    assert 'name="photos"' in form and "multiple" in form and 'accept="image/jpeg,image/png"' in form
    photos = [photo_file("before.jpg"), photo_file("during.jpg"), png_file()]
    response = client.post(reverse("volunteers:service-new"), {**FORM, "rule": rule.pk, "photos": photos})
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    urls = [p.get_absolute_url() for p in record.photos.all()]
    assert len(urls) == 3
    assert [client.get(u)["Content-Type"] for u in urls] == ["image/jpeg", "image/jpeg", "image/png"]
    staff = client_for(community_staff)
    queue = staff.get(reverse("volunteers:review")).content.decode()
    assert all(u in queue for u in urls) and "服务照片（3 张）" in queue
    assert all(staff.get(u).status_code == 200 for u in urls)
    assert all(client_for(UserFactory()).get(u).status_code == 404 for u in urls)


def test_a_bad_photo_among_several_is_named_and_nothing_is_saved(volunteer, rule):
    client = client_for(volunteer.user)
    photos = [photo_file("good.jpg"), photo_file("page.jpg", b"<html>")]
    response = client.post(reverse("volunteers:service-new"), {**FORM, "rule": rule.pk, "photos": photos})
    page = response.content.decode()
    assert "第 2 张照片（page.jpg）：照片只能是 JPG 或 PNG" in page
    assert 'value="楼道堆物排查"' in page  # the input is kept
    assert not ServiceRecord.objects.exists() and not ServicePhoto.objects.exists()


def test_more_than_nine_photos_are_refused(volunteer, rule):
    kwargs = {"title": "排查", "place": "3幢", "served_on": rule.effective_from, "units": 1}
    with pytest.raises(Refusal, match="最多上传 9 张照片，您选了 10 张"):
        submit_service(
            volunteer=volunteer, by=volunteer.user, rule=rule, photos=[photo_file()] * 10, **kwargs
        )
    with pytest.raises(ValidationError, match="照片只能是"):
        submit_service(
            volunteer=volunteer, by=volunteer.user, rule=rule, photos=[photo_file("a.jpg", b"x")], **kwargs
        )
    assert not ServiceRecord.objects.exists()


def test_the_api_takes_several_photos_and_lists_their_urls(volunteer, rule, django_assert_num_queries):
    client = client_for(volunteer.user)
    url = reverse("volunteers:api-service-record-list")
    body = {**FORM, "rule": rule.pk, "photos": [photo_file("a.jpg"), png_file("b.png")]}
    created = client.post(url, body)
    assert created.status_code == 201, created.content
    assert len(created.json()["photo_urls"]) == 2
    too_many = client.post(url, {**FORM, "rule": rule.pk, "photos": [photo_file() for _ in range(10)]})
    assert too_many.status_code == 400 and "最多上传 9 张照片" in too_many.content.decode()
    client.post(url, {**FORM, "rule": rule.pk, "photos": [photo_file()]})
    with django_assert_num_queries(5):  # session, user, count, page, the page's photos
        listed = client.get(url).json()["results"]
    assert sorted(len(r["photo_urls"]) for r in listed) == [1, 2]


def test_the_admin_links_every_photo(client, volunteer, community_staff, rule):
    record = submit_service(
        volunteer=volunteer,
        by=volunteer.user,
        rule=rule,
        photos=[photo_file(), photo_file()],
        title="排查",
        place="3幢",
        served_on=rule.effective_from,
        units=1,
    )
    client.force_login(community_staff)
    page = client.get(reverse("admin:members_servicerecord_change", args=[record.pk])).content.decode()
    assert all(p.get_absolute_url() in page for p in record.photos.all()) and "照片 2" in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_records_single_photo():
    before, after = [("members", "0008_reward_stocked")], [("members", "0009_service_photos")]
    try:
        _migrate_a_single_photo_forward(before, after)
    finally:  # whatever happened, leave the schema as the rest of the suite expects it
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate_a_single_photo_forward(before, after):
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Area = old.get_model("sites", "Area")
    city = community = Area.objects.create(name="苏州市", level="city", path="c/", depth=LEVEL_DEPTH["city"])
    for level in ("district", "town", "community"):
        path, depth = f"{community.path}{level}/", LEVEL_DEPTH[level]
        community = Area.objects.create(name=level, level=level, parent=community, path=path, depth=depth)
    user = old.get_model("members", "User").objects.create(username="v1", role="volunteer")
    volunteer = old.get_model("members", "Volunteer").objects.create(
        name="张三明", phone="13900000000", community=community, user=user
    )
    rule = old.get_model("members", "PointRule").objects.create(
        code="r",
        version=1,
        name="隐患排查",
        category="hazard",
        area=city,
        unit="次",
        points_per_unit=5,
        effective_from="2020-01-01",
    )
    Record = old.get_model("members", "ServiceRecord")
    common = {"volunteer": volunteer, "rule": rule, "title": "排查", "place": "3幢"}
    common["served_on"] = "2026-01-05"
    with_photo = Record.objects.create(**common, units=1, photo="members/service/2026/old.jpg")
    without = Record.objects.create(**common, units=1)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    assert list(ServicePhoto.objects.values_list("record", "image")) == [
        (with_photo.pk, "members/service/2026/old.jpg")
    ]
    assert not ServicePhoto.objects.filter(record=without.pk).exists()
