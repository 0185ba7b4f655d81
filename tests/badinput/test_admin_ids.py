"""What is typed into the admin's raw-id boxes and autocomplete selects: a form error, never a 500."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.models import Organization
from projects.models import Project
from tests.factories import CommunityFactory, OrganizationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

JUNK = ["abc", "-1", "²", str(2**63), str(2**64)]


@pytest.fixture
def community():
    return CommunityFactory()


def organization_form(place, **fields):
    return {"name": "新党支部", "kind": "branch", "area": place.pk, **fields}


def project_form(place, **fields):
    return {
        "community": place.pk, "year": "2025", "title": "新项目", "category": "public_service",
        "budget": "100", "expected_beneficiaries": "10", "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0", "steps-TOTAL_FORMS": "0", "steps-INITIAL_FORMS": "0", **fields,
    }  # fmt: skip


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize(
    ("url_name", "form", "field", "model"),
    [
        ("admin:members_organization_add", organization_form, "area", Organization),  # autocomplete
        ("admin:members_organization_add", organization_form, "sites", Organization),  # autocomplete, many
        ("admin:members_organization_add", organization_form, "parent", Organization),
        ("admin:projects_project_add", project_form, "community", Project),  # raw id
        ("admin:projects_project_add", project_form, "partners", Project),  # raw ids
    ],
)
def test_a_junk_id_is_a_form_error(admin_client, community, url_name, form, field, model, junk):
    OrganizationFactory(area=community)
    before = model.objects.count()
    response = admin_client.post(reverse(url_name), form(community, **{field: junk}))
    assert response.status_code == 200
    assert "请修正下面的错误" in response.content.decode() or "errornote" in response.content.decode()
    assert model.objects.count() == before


def test_a_junk_id_among_good_ones_keeps_the_good_ones_shown(admin_client, community):
    partner = OrganizationFactory(area=community)
    response = admin_client.post(
        reverse("admin:projects_project_add"), project_form(community, partners=f"{partner.pk},abc")
    )
    assert response.status_code == 200 and f'value="{partner.pk}"' in response.content.decode()


@pytest.mark.parametrize("junk", JUNK)
def test_a_junk_id_among_an_actions_ticked_rows_is_a_message_not_a_500(admin_client, community, junk):
    project = ProjectFactory(community=community)
    url = reverse("admin:projects_project_changelist")
    action = {"action": "step_surveying_defined", "_selected_action": [str(project.pk), junk], "index": "0"}
    response = admin_client.post(url, action, follow=True)
    assert response.status_code == 200 and "所选记录的编号有误" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "surveying"


@pytest.mark.parametrize("junk", JUNK)
def test_django_groups_take_only_real_permission_ids(admin_client, junk):
    response = admin_client.post(reverse("admin:auth_group_add"), {"name": "审核组", "permissions": junk})
    assert response.status_code == 200 and not Group.objects.exists()
