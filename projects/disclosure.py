"""公示: what residents may read about a community's projects of a year, and nothing more.

Only public facts leave this module: categories, money, steps and their dates, beneficiaries, and the
payees of approved expenses when they are organisations. No staff names, no comments (they can name
people), no phone numbers, no private payees. The page, CSV and Excel all read `disclosed_projects`.
"""

import csv
import io
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from services.models import Claim, ClaimStatus, Need
from sites.models import Site

from .models import CommunityFund, Expense, ExpenseStatus, Project, ProjectPhoto, ProjectStep, Status

PRIVATE_PAYEE = "个人（依规不公开姓名）"
ACCEPTED_CLAIM_STATUSES = [ClaimStatus.IN_PROGRESS, ClaimStatus.COMPLETED, ClaimStatus.EVALUATED]

COLUMNS = [
    "项目名称",
    "项目类别",
    "当前步骤",
    "预算（元）",
    "已支出（元）",
    "预计惠及人次",
    "实际惠及人次",
    "百佳示范",
    "步骤时间线",
]


def disclosed_projects(community, year):
    """The community's projects of `year` with their public timeline and approved expenses prefetched."""
    return (
        Project.objects.filter(community=community, year=year)
        .only(
            "pk",
            "title",
            "description",
            "category",
            "status",
            "budget",
            "spent",
            "expected_beneficiaries",
            "actual_beneficiaries",
            "showcase",
            "community_id",
            "year",
        )
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=ProjectStep.objects.only("pk", "project_id", "from_status", "to_status", "at"),
                to_attr="public_steps",
            ),
            Prefetch(
                "expenses",
                queryset=Expense.objects.filter(status=ExpenseStatus.APPROVED).only(
                    "pk", "project_id", "date", "payee", "payee_is_person", "amount", "purpose"
                ),
                to_attr="public_expenses",
            ),
            Prefetch("partners", to_attr="public_partners"),
            # The needs each project answers, and the units whose claims on them were accepted.
            Prefetch(
                "needs",
                queryset=Need.objects.only("pk", "title", "status").prefetch_related(
                    Prefetch(
                        "claims",
                        queryset=Claim.objects.filter(status__in=ACCEPTED_CLAIM_STATUSES)
                        .select_related("organization")
                        .only("pk", "need_id", "status", "organization__name"),
                        to_attr="accepted_claims",
                    )
                ),
                to_attr="public_needs",
            ),
        )
        .order_by("category", "pk")
    )


def for_page(projects):
    """The page's extras on `disclosed_projects`: photos (one query) and each 公示 period, worked out from
    the 上报公示 step's date and `settings.GONGSHI_DAYS`; (published, under way) in that order."""
    prefetch_related_objects(
        projects, Prefetch("photos", queryset=ProjectPhoto.objects.order_by("pk"), to_attr="public_photos")
    )
    today = timezone.localdate()
    for p in projects:
        published = [s for s in p.public_steps if s.to_status == Status.PUBLISHED]
        if published:
            start = timezone.localdate(published[-1].at)
            p.gongshi_from, p.gongshi_to = start, start + timedelta(days=settings.GONGSHI_DAYS - 1)
            p.gongshi_open = p.gongshi_from <= today <= p.gongshi_to
    done = [p for p in projects if p.status == Status.PUBLISHED]
    return done, [p for p in projects if p.status != Status.PUBLISHED]


def contact_phone(community):
    """Where a resident asks about the community's projects (我有疑问): the phone of one of its own
    sites, else of its street's; until residents' demands are in the system."""
    site = (
        Site.objects.filter(area__in=[community.pk, community.parent_id], is_active=True)
        .exclude(phone="")
        .order_by("-area__depth", "pk")
        .only("pk", "name", "phone")
        .first()
    )
    return site


def public_payee(expense):
    return PRIVATE_PAYEE if expense.payee_is_person else expense.payee


def community_fund(community, year):
    """The fund as residents see it; a community-year with no row yet shows the default, unused."""
    fund = CommunityFund.objects.filter(community=community, year=year).first()
    return fund or CommunityFund(community=community, year=year)


def timeline_text(project):
    return "；".join(f"{step.at:%Y-%m-%d} {step.get_to_status_display()}" for step in project.public_steps)


def as_text(value):
    """Text a spreadsheet shows as text: a title typed as "=HYPERLINK(…)" would otherwise be a live
    formula in every resident's download (CSV injection); a leading apostrophe keeps it inert."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def rows(projects):
    for p in projects:
        yield [
            as_text(p.title),
            p.get_category_display(),
            p.get_status_display(),
            p.budget,
            p.spent,
            p.expected_beneficiaries,
            "" if p.actual_beneficiaries is None else p.actual_beneficiaries,
            "是" if p.showcase else "",
            timeline_text(p),
        ]


def as_csv(projects):
    # A BOM so that Excel on Windows opens the UTF-8 Chinese text correctly.
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows(projects))
    return buffer.getvalue().encode("utf-8")


def as_xlsx(projects, *, title):
    book = Workbook()
    sheet = book.active
    sheet.title = "公示"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(projects):
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
    for column, width in zip("ABCDEFGHI", [28, 12, 10, 12, 12, 12, 12, 8, 60], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
