"""Money in context at 经费核拨, and a refused step that stays on the project's URL."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import CommunityFund, Status
from tests.factories import CommunityFundFactory, ProjectFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_funding_step_shows_the_fund_before_and_after_this_budget(community, street_staff):
    CommunityFundFactory(community=community, year=2025, committed=Decimal("150000.00"))
    project = ProjectFactory(community=community, status=Status.FILED, budget=Decimal("30000.00"))
    html = client_for(street_staff).get(project.get_absolute_url()).content.decode()
    fund = html[html.index('id="fund"') :][:1500]
    assert "200,000.00 元" in fund and "150,000.00 元" in fund and "50,000.00 元" in fund
    assert "30,000.00 元" in fund and "<strong>20,000.00 元</strong>" in fund and "余额不足" not in fund


def test_funding_step_warns_when_the_budget_does_not_fit(community, street_staff):
    CommunityFundFactory(community=community, year=2025, committed=Decimal("190000.00"))
    project = ProjectFactory(community=community, status=Status.FILED, budget=Decimal("30000.00"))
    client = client_for(street_staff)
    assert "余额不足" in client.get(project.get_absolute_url()).content.decode()
    # The refusal is shown on the project's own URL (the form posts there), with the fund beside it.
    response = client.post(project.get_absolute_url(), {"to": Status.FUNDED, "comment": "核拨"})
    html = response.content.decode()
    assert response.status_code == 409 and "余额不足" in html and 'id="fund"' in html
    assert f'action="{project.get_absolute_url()}"' in html and "\n核拨</textarea>" in html


def test_viewing_does_not_open_a_fund(community, street_staff):
    project = ProjectFactory(community=community, status=Status.FILED, budget=Decimal("30000.00"))
    html = client_for(street_staff).get(project.get_absolute_url()).content.decode()
    assert "<strong>170,000.00 元</strong>" in html and not CommunityFund.objects.exists()


def test_no_fund_panel_at_other_steps(community, street_staff):
    project = ProjectFactory(community=community, status=Status.DEFINED)
    assert 'id="fund"' not in client_for(street_staff).get(project.get_absolute_url()).content.decode()
    assert reverse("projects:project-advance", args=[project.pk])  # the old address still takes steps
