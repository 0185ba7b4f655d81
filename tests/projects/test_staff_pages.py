"""Staff pages: list, create/edit, the project page's steps, expenses and receipts."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from projects.models import CommunityFund, Expense, ExpenseStatus, Project, Status
from tests.factories import (
    PDF_BYTES,
    CommunityFactory,
    CommunityFundFactory,
    ExpenseFactory,
    ProjectFactory,
    receipt_file,
)

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_list_shows_only_the_area_and_pins_queries(community, town, street_staff, django_assert_num_queries):
    client = client_for(street_staff)
    ProjectFactory(community=community, year=2025, title="博士阳光讲坛")
    ProjectFactory(year=2025, title="别的街道的项目")
    url = reverse("projects:project-list") + "?year=2025"
    with django_assert_num_queries(6):  # session, user, user.area, count, page, header 待办 count
        response = client.get(url)
    assert "博士阳光讲坛" in response.content.decode()
    assert "别的街道的项目" not in response.content.decode()
    for _ in range(10):
        ProjectFactory(community=CommunityFactory(parent=town), year=2025)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("为民服务项目") >= 10


@pytest.mark.parametrize("query", ["year=abc", "year=1900", "status=flying", "page=99"])
def test_bad_list_parameters_are_400(street_staff, query):
    response = client_for(street_staff).get(reverse("projects:project-list") + "?" + query)
    assert response.status_code == 400


def test_non_staff_are_refused(db):
    from tests.factories import UserFactory

    client = client_for(UserFactory())
    assert client.get(reverse("projects:project-list")).status_code == 403


def test_community_staff_create_and_edit(community_staff, community):
    client = client_for(community_staff)
    response = client.post(
        reverse("projects:project-create"),
        {
            "year": 2025,
            "title": "关爱老人、情暖夕阳",
            "category": "public_service",
            "budget": "-5",
            "expected_beneficiaries": 300,
            "partners": ["9" * 20],  # past 64 bits: a form error, not a crash on SQLite
        },
    )
    assert response.status_code == 400
    assert "金额不能为负数" in response.content.decode()
    assert "不是一个有效的值" in response.content.decode()
    assert "关爱老人、情暖夕阳" in response.content.decode()  # input kept
    response = client.post(
        reverse("projects:project-create"),
        {
            "year": 2025,
            "title": "关爱老人、情暖夕阳",
            "category": "public_service",
            "budget": "20000",
            "expected_beneficiaries": 300,
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and project.community == community
    project.status = Status.FILED
    project.save()
    client.post(
        reverse("projects:project-edit", args=[project.pk]),
        {
            "year": 2025,
            "title": "改名",
            "category": "public_service",
            "budget": "99999",
            "expected_beneficiaries": 5,
        },
    )
    project.refresh_from_db()
    assert (project.title, project.budget, project.expected_beneficiaries) == (
        "关爱老人、情暖夕阳",
        Decimal("20000.00"),
        5,
    )


def test_street_staff_cannot_create(street_staff):
    assert client_for(street_staff).get(reverse("projects:project-create")).status_code == 403


def test_other_area_project_is_404(other_street_staff, community):
    project = ProjectFactory(community=community)
    client = client_for(other_street_staff)
    assert client.get(reverse("projects:project-detail", args=[project.pk])).status_code == 404
    response = client.post(reverse("projects:project-advance", args=[project.pk]), {"to": "filed"})
    assert response.status_code == 404


def test_detail_offers_only_the_users_buttons(community, community_staff, street_staff):
    project = ProjectFactory(community=community, status=Status.FILED)
    url = reverse("projects:project-detail", args=[project.pk])
    street_page = client_for(street_staff).get(url).content.decode()
    assert 'value="funded"' in street_page and 'value="defined"' in street_page
    community_page = client_for(community_staff).get(url).content.decode()
    assert 'value="funded"' not in community_page
    assert "下一步“核拨经费”由街道工作人员办理" in community_page


def test_refused_step_shows_the_reason_and_keeps_the_comment(community, street_staff):
    CommunityFundFactory(community=community, year=2025, committed=Decimal("195000.00"))
    project = ProjectFactory(community=community, status=Status.FILED, budget=Decimal("10000.00"))
    response = client_for(street_staff).post(
        reverse("projects:project-advance", args=[project.pk]), {"to": "funded", "comment": "同意核拨第一批"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "专项经费余额不足" in page
    assert "同意核拨第一批" in page


def test_step_through_the_page(community, street_staff):
    project = ProjectFactory(community=community, status=Status.DEFINED)
    response = client_for(street_staff).post(
        reverse("projects:project-advance", args=[project.pk]),
        {"to": "filed", "comment": "材料齐全"},
        follow=True,
    )
    assert "已办理：审核备案" in response.content.decode()
    assert "材料齐全" in response.content.decode()


def expense_post(client, project, **overrides):
    data = {
        "date": "2025-06-01",
        "payee": "苏州某印务有限公司",
        "amount": "800.00",
        "purpose": "讲坛海报印制",
        "receipt": receipt_file(),
        **overrides,
    }
    return client.post(reverse("projects:expense-submit", args=[project.pk]), data)


@pytest.fixture
def running(community):
    return ProjectFactory(community=community, status=Status.IN_PROGRESS, budget=Decimal("5000.00"))


def test_expense_submit_and_approve(running, community, community_staff, street_staff):
    CommunityFundFactory(community=community, year=2025, committed=Decimal("5000.00"))
    assert expense_post(client_for(community_staff), running).status_code == 302
    expense = Expense.objects.get()
    assert expense.status == ExpenseStatus.SUBMITTED
    client_for(street_staff).post(
        reverse("projects:expense-decide", args=[expense.pk]), {"decision": "approve"}
    )
    running.refresh_from_db()
    assert running.spent == Decimal("800.00")
    assert CommunityFund.objects.get(community=community).spent == Decimal("800.00")


@pytest.mark.parametrize(
    ("receipt", "message"),
    [
        (receipt_file("invoice.pdf", b"MZ\x90\x00 not a pdf"), "票据只能是 PDF、JPG 或 PNG 文件"),
        (receipt_file("scan.png", b"<html>hello</html>"), "票据只能是 PDF、JPG 或 PNG 文件"),
        (receipt_file("big.pdf", PDF_BYTES + b"0" * (5 * 1024 * 1024)), "票据文件不能超过 5 MB"),
        # A page that starts like a PDF but is named .html: served back inline it would run its script.
        (receipt_file("r.html", b"%PDF-1.4\n<script>alert(1)</script>"), "此文件是 PDF，请以 .pdf 结尾"),
        (receipt_file("photo.pdf", b"\xff\xd8\xff\xe0" + b"0" * 20), "此文件是 JPEG，请以 .jpg 结尾"),
    ],
)
def test_bad_receipts_refused_in_chinese(running, community_staff, receipt, message):
    response = expense_post(client_for(community_staff), running, receipt=receipt)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "讲坛海报印制" in page  # the rest of the input is kept
    assert not Expense.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"), [("9999-12-31", "支出日期不能晚于今天"), ("1999-12-31", "支出日期应在 2000 年以后")]
)
def test_expense_date_must_be_paid_already(running, community_staff, day, message):
    response = expense_post(client_for(community_staff), running, date=day)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Expense.objects.exists()


def test_jpeg_and_png_receipts_accepted(running, community_staff):
    client = client_for(community_staff)
    assert (
        expense_post(
            client, running, receipt=receipt_file("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20)
        ).status_code
        == 302
    )
    assert (
        expense_post(
            client, running, receipt=receipt_file("b.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
        ).status_code
        == 302
    )


def test_expense_over_remaining_budget_refused(running, community_staff):
    response = expense_post(client_for(community_staff), running, amount="6000")
    assert response.status_code == 400
    assert "超过项目剩余预算 5000.00 元" in response.content.decode()


def test_expense_only_while_running(community, community_staff):
    project = ProjectFactory(community=community, status=Status.FILED)
    response = expense_post(client_for(community_staff), project)
    assert "只有在组织实施或支出报销步骤才能提交支出" in response.content.decode()


def test_reject_needs_a_reason(running, community_staff, street_staff):
    expense = ExpenseFactory(project=running, submitted_by=community_staff)
    client = client_for(street_staff)
    response = client.post(
        reverse("projects:expense-decide", args=[expense.pk]), {"decision": "reject"}, follow=True
    )
    assert "退回支出时请填写原因" in response.content.decode()
    client.post(
        reverse("projects:expense-decide", args=[expense.pk]), {"decision": "reject", "note": "票据不清晰"}
    )
    expense.refresh_from_db()
    assert (expense.status, expense.decision_note) == (ExpenseStatus.REJECTED, "票据不清晰")


def test_receipt_download_is_scoped(running, community_staff, other_street_staff):
    expense = ExpenseFactory(project=running, submitted_by=community_staff)
    url = reverse("projects:expense-receipt", args=[expense.pk])
    response = client_for(community_staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(other_street_staff).get(url).status_code == 404


def test_receipt_served_as_its_content_not_its_name(running, community_staff):
    """One stored under a misleading name (before names were checked) is still served as a PDF."""
    expense = ExpenseFactory(project=running, submitted_by=community_staff)
    expense.receipt.save("r.html", ContentFile(b"%PDF-1.4\n<script>alert(1)</script>"))
    response = client_for(community_staff).get(reverse("projects:expense-receipt", args=[expense.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"


def test_receipts_are_kept_outside_the_public_media(running, community_staff, settings):
    expense = ExpenseFactory(project=running, submitted_by=community_staff)
    stored = Path(expense.receipt.path)
    assert stored.is_file() and stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not stored.is_relative_to(settings.MEDIA_ROOT)  # DEBUG's /media/ or a proxy never serves it
    admin_page = client_for(community_staff).get(reverse("admin:projects_expense_change", args=[expense.pk]))
    assert expense.get_absolute_url() in admin_page.content.decode()  # the admin links the scoped view


def test_database_refuses_overcommit_and_overspend(community):
    fund = CommunityFundFactory(community=community)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityFund.objects.filter(pk=fund.pk).update(committed=Decimal("200000.01"))
    project = ProjectFactory(community=community, budget=Decimal("100.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(spent=Decimal("100.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityFundFactory(community=community)  # one fund per community-year


def test_photo_upload_keeps_the_caption_when_the_file_is_refused(running, community_staff):
    client = client_for(community_staff)
    url = reverse("projects:photo-upload", args=[running.pk])
    bad = client.post(url, {"image": receipt_file("photo.jpg", b"not an image"), "caption": "讲坛现场"})
    page = bad.content.decode()
    assert bad.status_code == 400 and "请上传有效图片" in page and 'value="讲坛现场"' in page
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(image, "PNG")
    good = client.post(url, {"image": receipt_file("photo.png", image.getvalue()), "caption": "讲坛现场"})
    assert good.status_code == 302 and running.photos.get().caption == "讲坛现场"
