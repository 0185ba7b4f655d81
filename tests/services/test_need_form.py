"""录入需求 on a page (services/need_pages.py): community staff record a need as a draft or publish it, with
several photos (checked by content, at most MAX_NEED_PHOTOS, all or nothing), edit it and remove a photo;
a refusal keeps what was typed; only the community's (or its street's) staff may."""

import pytest
from django.urls import reverse

from members.models import Role
from services.list_models import MAX_NEED_PHOTOS
from services.models import Need, NeedPhoto, NeedStatus
from tests.factories import CommunityFactory, NeedFactory, StaffFactory, UnitStaffFactory, photo_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff():
    community = CommunityFactory(name="道前社区", latitude="31.300000", longitude="120.620000")
    return StaffFactory(area=community)


def typed(staff, **more):
    return {
        "community": staff.area.pk, "title": "便民维修", "category": "public_service", "kind": "repair",
        "quantity": "12", "unit": "次", "urgency": "normal", "wanted_by": "2099-06-30",
        "latitude": "31.301000", "longitude": "120.621000", "address": "道前街 10 号", **more,
    }  # fmt: skip


def test_community_staff_publish_a_need_with_photos_and_the_board_shows_them(client, staff):
    client.force_login(staff)
    form = client.get(reverse("services:need-new")).content.decode()
    assert 'name="photos"' in form and "location-picker" in form and 'value="31.300000"' in form
    photos = [photo_file("a.jpg"), photo_file("b.jpg")]
    response = client.post(reverse("services:need-new"), {**typed(staff), "publish": "1", "photos": photos})
    need = Need.objects.get()
    assert response.status_code == 302 and response.url == need.get_absolute_url()
    assert (need.status, need.quantity, need.created_by) == (NeedStatus.PUBLISHED, 12, staff)
    assert need.photos.count() == 2
    client.logout()
    page = client.get(need.get_absolute_url()).content.decode()
    assert page.count('class="need-photo"') == 2


def test_save_as_a_draft_then_edit_and_publish(client, staff):
    client.force_login(staff)
    client.post(reverse("services:need-new"), {**typed(staff), "draft": "1"})
    need = Need.objects.get()
    assert need.status == NeedStatus.DRAFT
    edit = reverse("services:need-edit", args=[need.pk])
    page = client.get(edit).content.decode()
    assert 'value="便民维修"' in page and 'name="community"' not in page
    response = client.post(edit, {**typed(staff, title="便民维修（每月）"), "publish": "1"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.title, need.status) == ("便民维修（每月）", NeedStatus.PUBLISHED)


def test_bad_input_is_refused_in_chinese_and_keeps_what_was_typed(client, staff):
    client.force_login(staff)
    response = client.post(reverse("services:need-new"), typed(staff, quantity="0"))
    page = response.content.decode()
    assert response.status_code == 200 and not Need.objects.exists()
    assert 'value="便民维修"' in page and "道前街 10 号" in page
    assert "大于或等于1" in page.replace(" ", "")
    page = client.post(reverse("services:need-new"), typed(staff, latitude="")).content.decode()
    assert "纬度和经度请都填或都不填" in page and not Need.objects.exists()


def test_a_bad_photo_refuses_the_whole_need_and_says_which_photo(client, staff):
    client.force_login(staff)
    bad = photo_file("b.jpg", content=b"<html>not a photo</html>")
    response = client.post(reverse("services:need-new"), {**typed(staff), "photos": [photo_file(), bad]})
    page = response.content.decode()
    assert response.status_code == 200 and "第 2 张照片（b.jpg）" in page
    assert not Need.objects.exists() and not NeedPhoto.objects.exists()


def test_at_most_the_limit_of_photos_per_need(client, staff, django_capture_on_commit_callbacks):
    need = NeedFactory(
        community=staff.area, by=staff, photos=[photo_file() for _ in range(MAX_NEED_PHOTOS - 1)]
    )
    client.force_login(staff)
    edit = reverse("services:need-edit", args=[need.pk])
    response = client.post(edit, {**typed(staff), "photos": [photo_file(), photo_file()]})
    assert f"每项需求最多 {MAX_NEED_PHOTOS} 张照片：已有 {MAX_NEED_PHOTOS - 1} 张，这次选了 2 张" in (
        response.content.decode()
    )
    assert need.photos.count() == MAX_NEED_PHOTOS - 1
    photo = need.photos.first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("services:need-photo-delete", args=[need.pk, photo.pk]))
    assert need.photos.count() == MAX_NEED_PHOTOS - 2 and not photo.image.storage.exists(photo.image.name)


def test_only_the_communitys_or_streets_staff_record_and_edit(client, staff):
    need = NeedFactory(community=staff.area, by=staff)
    edit = reverse("services:need-edit", args=[need.pk])
    client.force_login(UnitStaffFactory())
    assert client.get(reverse("services:need-new")).status_code == 403
    client.force_login(StaffFactory())  # another community's staff
    assert client.get(edit).status_code == 404
    client.force_login(StaffFactory(role=Role.STREET_STAFF, area=staff.area.parent))
    assert client.get(edit).status_code == 200
    response = client.post(reverse("services:need-new"), typed(staff))
    assert response.status_code == 302 and Need.objects.filter(title="便民维修").exists()
