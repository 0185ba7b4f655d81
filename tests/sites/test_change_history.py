"""Change history (django-simple-history): who changed what and when, in Chinese, scoped, read-only."""

import re

import pytest
from django.urls import reverse

from members.models import Role, User
from projects.models import CommunityFund, Project
from sites.models import Area, Site
from tests.factories import (
    CommunityFactory,
    OrganizationFactory,
    ProjectFactory,
    SiteFactory,
    StaffFactory,
    TownFactory,
)

pytestmark = pytest.mark.django_db


def admin_url(obj, view, *args):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk, *args])


@pytest.fixture
def street():
    town = TownFactory(name="双塔街道")
    return town, CommunityFactory(parent=town, name="道前社区")


@pytest.fixture
def street_staff(street):
    return StaffFactory(role=Role.STREET_STAFF, area=street[0], last_name="李", first_name="建国")


def edit_area(client, area, **changes):
    data = {"name": area.name, "level": area.level, "parent": area.parent_id, "code": "", "latitude": "",
            "longitude": "", "boundary": "", **changes}  # fmt: skip
    response = client.post(admin_url(area, "change"), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_an_admin_edit_is_recorded_with_who_and_what(client, street, street_staff):
    town, community = street
    client.force_login(street_staff)
    edit_area(client, community, name="道前社区（新）")
    latest = community.history.first()
    assert (latest.history_type, latest.name, latest.history_user) == ("~", "道前社区（新）", street_staff)

    page = client.get(admin_url(community, "history")).content.decode()
    assert "查看历史记录" in page  # simple-history's own zh_Hans, read-only title
    assert "修改人" in page and "李建国" in page and "改动" in page
    text = " ".join(re.sub(r"<[^>]+>|&nbsp;|&rarr;", " ", page).split())
    assert "名称: 道前社区 道前社区（新）" in text  # the field's Chinese name, old → new
    assert "还原" not in page


def test_creating_an_area_is_one_history_record_without_the_path():
    community = CommunityFactory()
    assert [h.history_type for h in community.history.all()] == ["+"]
    assert not hasattr(community.history.model, "path")


def test_another_areas_history_is_a_404_and_versions_never_save_back(client, street, street_staff):
    town, community = street
    theirs = SiteFactory(area=CommunityFactory(), name="别的街道站")
    mine = SiteFactory(area=community, name="道前站")
    client.force_login(street_staff)
    assert client.get(admin_url(theirs, "history")).status_code == 404
    version = theirs.history.first()
    assert client.get(admin_url(theirs, "simple_history", version.pk)).status_code == 404
    assert client.get(admin_url(theirs.area, "history")).status_code == 404
    assert client.get(reverse("admin:sites_site_history", args=["abc"])).status_code == 404

    own = mine.history.first()
    assert client.get(admin_url(mine, "simple_history", own.pk)).status_code == 200
    assert client.get(admin_url(mine, "simple_history", "abc")).status_code == 404
    response = client.post(admin_url(mine, "simple_history", own.pk), {"name": "改回去"})
    assert response.status_code == 403
    assert Site.objects.get(pk=mine.pk).name == "道前站"


@pytest.mark.parametrize(
    "make",
    [
        lambda community: OrganizationFactory(area=community),
        lambda community: ProjectFactory(community=community),
        lambda community: StaffFactory(area=community),
    ],
    ids=["organization", "project", "user"],
)
def test_each_edited_record_has_a_scoped_history_page(client, street, street_staff, make):
    town, community = street
    mine, theirs = make(community), make(CommunityFactory())
    client.force_login(street_staff)
    assert client.get(admin_url(mine, "history")).status_code == 200
    assert client.get(admin_url(theirs, "history")).status_code == 404


def test_user_history_never_holds_the_password_hash_and_logins_add_nothing(client, street):
    user = StaffFactory(area=street[1], username="daoqian")
    user.set_password("haitang-secret-1")
    user.save()
    fields = {f.name for f in user.history.model._meta.fields}
    assert "password" not in fields and "last_login" not in fields
    records = user.history.count()
    # Through the login page: django-axes authenticates only with the request it protects.
    response = client.post(reverse("login"), {"username": "daoqian", "password": "haitang-secret-1"})
    assert response.status_code == 302
    assert user.history.count() == records  # a login's last_login save is not an edit

    superuser = User.objects.create_superuser("root", password="x")
    client.force_login(superuser)
    page = client.get(admin_url(user, "history")).content.decode()
    assert User.objects.get(pk=user.pk).password not in page


def test_bulk_writes_make_no_history_and_still_work(street):
    town, community = street
    Project.objects.bulk_create([ProjectFactory.build(community=community) for _ in range(3)])
    assert Project.objects.count() == 3 and not Project.history.exists()
    Area.objects.filter(pk=community.pk).update(name="改名")  # QuerySet.update is not recorded either
    assert community.history.count() == 1


def test_counters_and_steps_are_left_to_the_ledger_and_the_timeline():
    """They move by QuerySet.update; in the history they would look like the next editor's change."""
    project_fields = {f.name for f in Project.history.model._meta.fields}
    fund_fields = {f.name for f in CommunityFund.history.model._meta.fields}
    assert {"title", "budget", "description"} <= project_fields
    assert not {"status", "spent"} & project_fields
    assert "amount" in fund_fields and not {"committed", "spent"} & fund_fields
