"""The 党员名册 import: all or nothing, bad rows named by line, duplicates matched by the 身份证号's
fingerprint (and updated), scoped to the importer's area; the sample files load; the admin's page."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.id_numbers import fingerprint
from members.models import Member, MemberStatus, OrganizationKind, Role
from members.roster_import import import_members
from sites.imports import ImportFailed
from tests.factories import (
    CommunityFactory,
    MemberFactory,
    OrganizationFactory,
    StaffFactory,
    TownFactory,
    id_number,
)

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "members" / "samples"
HEADER = "姓名,身份证号,党员状态,党组织,党小组,转正日期\n"


@pytest.fixture
def branch():
    street = TownFactory(name="沧浪街道")
    return OrganizationFactory(
        name="“苏会党员”行动党支部", area=CommunityFactory(parent=street, name="道前社区")
    )


@pytest.fixture
def group(branch):
    return OrganizationFactory(
        name="便民服务党小组", kind=OrganizationKind.GROUP, parent=branch, area=branch.area
    )


@pytest.fixture
def staff(branch):
    return StaffFactory(role=Role.STREET_STAFF, area=branch.area.parent)


def load(text, staff, name="roster.csv"):
    return import_members(file=io.BytesIO(text.encode("utf-8")), filename=name, user=staff)


def test_good_rows_load_with_english_headers_too(staff, branch, group):
    text = "name,id_number,status,organization,group\n"
    text += f"周建华,{id_number(1)},正式党员,“苏会党员”行动党支部,便民服务党小组\n"
    text += f"沈丽娟,{id_number(2)},预备,“苏会党员”行动党支部,\n"
    result = load(text, staff)
    assert (result.created, result.updated) == (2, 0)
    zhou = Member.objects.get(name="周建华")
    assert (zhou.organization, zhou.group, zhou.id_number_last4) == (branch, group, id_number(1)[-4:])
    assert zhou.memberships.get().organization == branch


def test_one_bad_row_loads_nothing_and_names_the_row(staff, branch):
    text = HEADER
    text += f"周建华,{id_number(1)},正式党员,“苏会党员”行动党支部,,\n"
    text += "沈丽娟,320508198007010011,正式党员,“苏会党员”行动党支部,,\n"  # wrong check character
    text += f"陆明,{id_number(3)},正式党员,“苏会党员”行动党支部,,\n"
    with pytest.raises(ImportFailed) as failed:
        load(text, staff)
    (error,) = failed.value.errors
    assert error.line == 3 and "校验位" in error.message
    assert not Member.objects.exists()


def test_every_bad_row_is_named(staff, branch):
    text = HEADER
    text += f"周建华,{id_number(1)},党员,“苏会党员”行动党支部,,\n"
    text += f",{id_number(1)},正式党员,不存在的支部,,\n"
    text += f"陆明,{id_number(3)},正式党员,“苏会党员”行动党支部,不存在的小组,\n"
    with pytest.raises(ImportFailed) as failed:
        load(text, staff)
    messages = [str(e) for e in failed.value.errors]
    assert any(m.startswith("第 2 行") and "党员状态" in m for m in messages)
    assert any(m.startswith("第 3 行") and "姓名不能为空" in m for m in messages)
    assert any(m.startswith("第 3 行") and "与第 2 行相同" in m for m in messages)
    assert any(m.startswith("第 3 行") and "不存在的支部" in m for m in messages)
    assert any(m.startswith("第 4 行") and "不存在的小组" in m for m in messages)
    assert not Member.objects.exists()


def test_a_number_already_on_the_roster_updates_that_member_moves_and_confirms(staff, branch):
    member = MemberFactory(
        organization=branch,
        id_number=id_number(1),
        status=MemberStatus.PROBATIONARY,
        joined_on=dt.date(2023, 7, 1),
    )
    target = OrganizationFactory(name="道前社区第二党支部", area=branch.area)
    result = load(HEADER + f"周建华,{id_number(1)},正式党员,道前社区第二党支部,,2024-07-01\n", staff)
    assert (result.created, result.updated) == (0, 1)
    member.refresh_from_db()
    assert (member.name, member.organization, member.status) == ("周建华", target, MemberStatus.FULL)
    assert member.confirmed_on == dt.date(2024, 7, 1)
    assert member.memberships.count() == 2 and member.memberships.active().get().organization == target
    assert Member.objects.count() == 1


def test_a_full_member_can_not_be_imported_back_to_probationary(staff, branch):
    MemberFactory(organization=branch, id_number=id_number(1))
    with pytest.raises(ImportFailed) as failed:
        load(HEADER + f"周建华,{id_number(1)},预备党员,“苏会党员”行动党支部,,\n", staff)
    assert "不能改回预备党员" in str(failed.value)


def test_a_number_registered_outside_the_importers_area_is_refused(staff, branch):
    elsewhere = OrganizationFactory(name="“苏会党员”行动党支部", area=CommunityFactory(parent=TownFactory()))
    MemberFactory(organization=elsewhere, id_number=id_number(1))
    with pytest.raises(ImportFailed) as failed:
        load(HEADER + f"周建华,{id_number(1)},正式党员,“苏会党员”行动党支部,,\n", staff)
    assert "管辖范围以外" in str(failed.value)
    assert Member.objects.get().organization == elsewhere


def test_an_organisation_outside_the_area_is_unknown_there(branch):
    other = StaffFactory(role=Role.STREET_STAFF, area=TownFactory(name="双塔街道"))
    with pytest.raises(ImportFailed) as failed:
        load(HEADER + f"周建华,{id_number(1)},正式党员,“苏会党员”行动党支部,,\n", other)
    assert "不在您的管辖范围内" in str(failed.value)


@pytest.mark.parametrize("name", ["members.csv", "members.xlsx"])
def test_the_sample_files_load(staff, group, name):
    with open(SAMPLES / name, "rb") as sample:
        result = import_members(file=sample, filename=name, user=staff)
    assert result.created == 3
    assert Member.objects.filter(group=group).count() == 2


def test_the_admin_import_page_shows_the_bad_rows_and_loads_nothing(
    client, staff, branch, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    url = reverse("admin:members_member_import")
    text = HEADER + "周建华,123,正式党员,“苏会党员”行动党支部,,\n"
    # The upload becomes a job (run at once here, with no REDIS_URL); its page shows the result.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("roster.csv", text.encode())})
    response = client.get(response.url)
    assert response.status_code == 400
    assert "第 2 行" in response.content.decode() and "18 位" in response.content.decode()
    assert not Member.objects.exists()
    good = HEADER + f"周建华,{id_number(1)},正式党员,“苏会党员”行动党支部,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("roster.csv", good.encode())})
    response = client.get(response.url)
    assert response.status_code == 200 and "新增 1" in response.content.decode()
    assert Member.objects.get().id_number_hash == fingerprint(id_number(1))
