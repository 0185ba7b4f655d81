"""The 公示 page: 已公示 apart from projects under way, the 公示期, photos, and a 我有疑问 phone link."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import ProjectPhoto, ProjectStep, Status
from tests.factories import ProjectFactory, SiteFactory

pytestmark = pytest.mark.django_db

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"  # noqa: E501


def page(community, year=2025):
    return Client().get(reverse("projects:gongshi-community", args=[community.pk, year])).content.decode()


def published_project(community, street_staff):
    project = ProjectFactory(community=community, status=Status.PUBLISHED, title="已办完的项目")
    step = ProjectStep.objects.create(
        project=project, from_status=Status.REIMBURSED, to_status=Status.PUBLISHED, by=street_staff
    )
    return project, step


def test_published_projects_come_first_with_their_period_apart_from_those_under_way(
    community, street_staff, settings
):
    settings.GONGSHI_DAYS = 10
    project, step = published_project(community, street_staff)
    ProjectFactory(community=community, status=Status.IN_PROGRESS, title="还在实施的项目")
    html = page(community)
    published, under_way = html.index('id="published"'), html.index('id="under-way"')
    assert published < html.index("已办完的项目") < under_way < html.index("还在实施的项目")
    start = timezone.localdate(step.at)
    end = start + dt.timedelta(days=9)
    assert (
        f"公示期：{start:%Y}年{start.month}月{start.day}日 至 {end:%Y}年{end.month}月{end.day}日（公示中）"
        in html
    )
    assert "公示期 10 天" in html


def test_photos_and_a_question_link(community, street_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project, _ = published_project(community, street_staff)
    ProjectPhoto.objects.create(
        project=project, image=SimpleUploadedFile("p.gif", GIF, content_type="image/gif"), caption="活动现场"
    )
    SiteFactory(area=community, name="本社区党群服务站", phone="0512-65550000")
    html = page(community)
    assert 'alt="活动现场"' in html and "/media/projects/photos/" in html
    assert 'href="tel:0512-65550000"' in html and "我有疑问" in html


def test_without_a_phone_the_question_points_to_the_site(community):
    ProjectFactory(community=community, status=Status.FUNDED)
    html = page(community)
    assert "我有疑问：请到" in html and "tel:" not in html
