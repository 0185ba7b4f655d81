"""Demo 为民服务 projects: the articles' examples at every step, and `--scale city` ≈20,000 more.

The named projects go through `workflow.advance` and `funds.*` exactly as staff would, so their
timelines, funds and ledgers are real. The city-scale ones are written with bulk_create for speed, with
funds, spent totals and ledger rows computed to agree with each other (never past 200,000 元 a year).
Communities the sites demo has not created are skipped, so this runs on any data.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from members.models import Organization, Role, User
from services.models import Claim, ClaimStatus, Need, NeedStatus, ServiceKind
from sites.models import Area, AreaLevel

from . import funds, planning, workflow
from .models import (
    Category,
    CommunityFund,
    FundLedgerEntry,
    LedgerKind,
    Project,
    ProjectStep,
    Status,
)

RECEIPT = b"%PDF-1.4\n% demo receipt\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

P, S, G = Category.PARTY_BUILDING, Category.PUBLIC_SERVICE, Category.SELF_GOVERNANCE

# community, title, category, budget, step reached, showcase, needs, description, expected, partner
NAMED = [
    (
        "嘉业阳光城社区",
        "博士阳光讲坛",
        P,
        36000,
        Status.PUBLISHED,
        True,
        "社区高学历党员多，居民希望在家门口听到权威、实用的讲座。",
        "发挥党员和先锋模范作用，邀请辖区博士党员每月开讲，内容涵盖健康、法律、科普和家庭教育。",
        1200,
        None,
    ),
    (
        "西津桥社区",
        "关爱老人、情暖夕阳",
        S,
        48000,
        Status.PUBLISHED,
        True,
        "独居、空巢老人多，就餐、就医、精神慰藉需求突出。",
        "党员志愿者结对独居老人，定期上门探访，开展助餐、陪诊、节日慰问和文体活动。",
        900,
        None,
    ),
    (
        "湖景花园社区",
        "5+共建会",
        G,
        25000,
        Status.REIMBURSED,
        True,
        "小区物业、停车、环境等问题需要多方坐下来协商。",
        "社区党支部牵头，居委会、业委会、物业、共建单位、居民代表五方定期议事，共商小区治理难题。",
        600,
        None,
    ),
    (
        "沧浪亭社区",
        "沧浪亭社区绿化修建",
        S,
        30000,
        Status.IN_PROGRESS,
        False,
        "老旧小区绿化缺乏养护，居民反映杂乱。",
        "共建单位认领绿化修建服务项目，党员志愿者参与日常养护。",
        2000,
        "苏州市沧浪亭管理处党支部",
    ),
    (
        "联青社区",
        "联青社区健身步道建设",
        S,
        60000,
        Status.FUNDED,
        False,
        "居民缺少安全的散步、健身场所。",
        "在社区公共空间建设环形健身步道，配套照明和休息座椅。",
        3000,
        "苏州三元交通建设工程有限公司党支部",
    ),
    (
        "道前社区",
        "网格报到、精准服务便民维修",
        S,
        20000,
        Status.FILED,
        False,
        "古巷老宅线路老化，老人家电维修难。",
        "在职党员到社区网格报到，带着便民服务箱为居民检修线路、更换灯泡、维修家电。",
        500,
        None,
    ),
    (
        "道前社区",
        "古巷邻里议事厅",
        G,
        12000,
        Status.SURVEYING,
        False,
        "古巷居民希望有固定的地方商量停车、晾晒和公共空间的事。",
        "在道前古巷党群服务点设邻里议事厅，每月由社区党委召集居民代表、物业和共建单位议事。",
        400,
        None,
    ),
    (
        "邹家角社区",
        "启发广场党员志愿服务",
        P,
        15000,
        Status.DEFINED,
        False,
        "广场周边外来务工人员多，希望有身边的服务点。",
        "依托启发广场党群服务点，组织党员志愿者开展政策宣讲和便民服务。",
        800,
        None,
    ),
    (
        "运河社区",
        "365党建联盟",
        P,
        18000,
        Status.SURVEYING,
        False,
        "驻区单位多，资源分散，需要常态化联动。",
        "组建365党建联盟，驻区单位党员兼任社区党组织委员，全年联动服务。",
        1500,
        None,
    ),
    (
        "浒墅人家社区",
        "三维党建·志愿联盟",
        G,
        22000,
        Status.IN_PROGRESS,
        False,
        "志愿者队伍分散，服务时间和项目不固定。",
        "整合党员、居民和共建单位志愿力量，按需求清单派单，按积分激励。",
        700,
        None,
    ),
]

STREET_STEPS = {Status.FILED, Status.FUNDED}


def seed(*, scale, stdout):
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        stdout.write("为民服务项目：没有管理员账号，跳过演示项目。")
        return
    year = timezone.localdate().year
    seed_named(year=year, admin=admin, stdout=stdout)
    seed_from_claims(year=year, admin=admin, stdout=stdout)
    if scale == "city":
        build_city_projects(year=year, admin=admin, stdout=stdout)


def _staff(area, role, fallback):
    return User.objects.filter(area=area, role=role).order_by("pk").first() or fallback


def seed_named(*, year, admin, stdout):
    made = 0
    for name, title, category, budget, reach, showcase, needs, description, expected, partner in NAMED:
        community = Area.objects.filter(level=AreaLevel.COMMUNITY, name=name).select_related("parent").first()
        if community is None or Project.objects.filter(community=community, year=year, title=title).exists():
            continue
        project = Project.objects.create(
            community=community,
            year=year,
            title=title,
            category=category,
            budget=Decimal(budget),
            showcase=showcase,
            description=description,
            expected_beneficiaries=expected,
        )
        # What residents asked for, as the community's 需求清单 entry the project answered.
        project.needs.add(
            Need.objects.create(
                community=community,
                title=needs[:100],
                quantity=1,
                description=needs,
                category=category,
                kind=ServiceKind.OTHER,
                status=NeedStatus.CLOSED,
                published_at=timezone.now(),
            )
        )
        if partner:
            project.partners.add(*Organization.objects.filter(name=partner))
        _walk(project, reach, admin=admin)
        made += 1
    stdout.write(f"为民服务项目：{made} 个文章中的示范项目。")


# 三张清单 → 项目清单: the accepted demo claims (services/demo_lists.py) that became 为民服务 projects.
FROM_CLAIMS = [
    ("沧浪亭社区", "绿化修建", 15000, Status.PUBLISHED),
    ("联青社区", "健身步道", 60000, Status.FUNDED),
]


def seed_from_claims(*, year, admin, stdout):
    made = 0
    for community_name, title, budget, reach in FROM_CLAIMS:
        claim = (
            Claim.objects.filter(
                need__title=title, community__name=community_name, need__projects__isnull=True
            )
            .exclude(status__in=[ClaimStatus.PENDING, ClaimStatus.DECLINED, ClaimStatus.WITHDRAWN])
            .select_related("need", "community__parent", "organization")
            .first()
        )
        if claim is None:
            continue
        staff = _staff(claim.community, Role.COMMUNITY_STAFF, admin)
        project = planning.project_from_claim(claim=claim, by=staff, year=year, budget=Decimal(budget))
        project.expected_beneficiaries = 500
        project.save(update_fields=["expected_beneficiaries"])
        _walk(project, reach, admin=admin)
        made += 1
    if made:
        stdout.write(f"为民服务项目：{made} 个由共建单位认领的需求转成的项目。")


def _walk(project, reach, *, admin):
    """Take `project` step by step to `reach`, with expenses on the way, as the staff would."""
    community_staff = _staff(project.community, Role.COMMUNITY_STAFF, admin)
    street_staff = _staff(project.community.parent, Role.STREET_STAFF, admin)
    order = Status.values
    for target in order[1 : order.index(reach) + 1]:
        actor = street_staff if target in STREET_STEPS else community_staff
        if target == Status.REIMBURSED:
            _spend(project, community_staff, street_staff)
        if target == Status.PUBLISHED:
            project.refresh_from_db()
            project.actual_beneficiaries = round(project.expected_beneficiaries * 1.1)
            project.save()
        workflow.advance(project=project, to=target, by=actor, comment=_comment(target))
    if reach == Status.IN_PROGRESS:
        # One expense handed in and waiting for the street, so its 待办 and 通过/退回 can be tried.
        funds.submit_expense(
            project=project,
            by=community_staff,
            date=date.today() - timedelta(days=3),
            payee="苏州某园林绿化有限公司",
            amount=(project.budget * Decimal("0.2")).quantize(Decimal("0.01")),
            purpose="苗木和养护工具",
            receipt=ContentFile(RECEIPT, name="receipt.pdf"),
        )


def _comment(target):
    return {
        Status.DEFINED: "经居民议事会讨论确定",
        Status.FILED: "材料齐全，同意备案",
        Status.FUNDED: "经费已核拨",
        Status.IN_PROGRESS: "项目启动",
        Status.REIMBURSED: "活动完成，提交报销",
        Status.PUBLISHED: "在社区公示栏和网上同步公示",
    }.get(target, "")


def _spend(project, community_staff, street_staff):
    for share, payee, purpose in [
        (Decimal("0.5"), "苏州某文化传播有限公司", "活动组织与宣传物料"),
        (Decimal("0.3"), "苏州某餐饮服务有限公司", "志愿者与参与群众餐饮"),
    ]:
        expense = funds.submit_expense(
            project=project,
            by=community_staff,
            date=date.today() - timedelta(days=10),
            payee=payee,
            amount=(project.budget * share).quantize(Decimal("0.01")),
            purpose=purpose,
            receipt=ContentFile(RECEIPT, name="receipt.pdf"),
        )
        funds.approve_expense(expense=expense, by=street_staff)


# --- city scale -----------------------------------------------------------------------------------

CITY_TITLES = {
    P: ["党员志愿服务", "在职党员进社区", "老党员关爱帮扶", "党员教育培训", "红色宣讲"],
    S: ["楼道美化亮化", "传统节日活动", "公共设施维护", "社区文化节", "助老助餐"],
    G: ["居民议事会", "民情信箱", "无物业小区自助服务", "社区社会组织培育", "民主评议"],
}


def build_city_projects(*, year, admin, stdout, per_community=11, seed=2018):
    """≈20,000 projects over the city's communities; 10 % of communities have not started."""
    rng = random.Random(seed)
    communities = list(
        Area.objects.filter(level=AreaLevel.COMMUNITY)
        .exclude(Q(projects__year=year))
        .values_list("pk", flat=True)
    )
    cap = Decimal("200000.00")
    projects = []
    for community_id in communities:
        if rng.random() < 0.1:
            continue  # not started this year
        remaining = cap
        for i in range(rng.randint(per_community - 3, per_community + 3)):
            budget = Decimal(rng.randrange(5000, 20001, 500))
            if budget > remaining:
                break
            remaining -= budget
            category = rng.choice(Category.values)
            status = rng.choices(Status.values, weights=[1, 1, 1, 2, 3, 2, 3])[0]
            reached = Status.values.index(status)
            spent = Decimal("0.00")
            if reached >= Status.values.index(Status.IN_PROGRESS):
                spent = (budget * Decimal(rng.randint(30, 100)) / 100).quantize(Decimal("0.01"))
            projects.append(
                Project(
                    community_id=community_id,
                    year=year,
                    title=f"{rng.choice(CITY_TITLES[category])}（{i + 1}）",
                    category=category,
                    budget=budget,
                    status=status,
                    spent=spent,
                    expected_beneficiaries=rng.randint(50, 3000),
                    actual_beneficiaries=rng.randint(50, 3000) if status == Status.PUBLISHED else None,
                    showcase=status == Status.PUBLISHED and rng.random() < 0.01,
                )
            )
    Project.objects.bulk_create(projects, batch_size=2000)
    _city_records(projects, year=year, admin=admin)
    stdout.write(f"为民服务项目（全市规模）：{len(projects)} 个项目。")


def _city_records(projects, *, year, admin):
    """Steps, funds and ledger rows that agree with the projects' steps and money."""
    funded_at = Status.values.index(Status.FUNDED)
    steps, totals = [], {}
    for p in projects:
        reached = Status.values.index(p.status)
        for k in range(1, reached + 1):
            steps.append(
                ProjectStep(project=p, from_status=Status.values[k - 1], to_status=Status.values[k], by=admin)
            )
        if reached >= funded_at:
            committed = p.spent if p.status == Status.PUBLISHED else p.budget
            fund = totals.setdefault(p.community_id, [Decimal("0.00"), Decimal("0.00")])
            fund[0] += committed
            fund[1] += p.spent
    ProjectStep.objects.bulk_create(steps, batch_size=5000)
    CommunityFund.objects.bulk_create(
        [CommunityFund(community_id=c, year=year, committed=t[0], spent=t[1]) for c, t in totals.items()],
        batch_size=2000,
    )
    fund_ids = dict(CommunityFund.objects.filter(year=year).values_list("community_id", "pk"))
    ledger = []
    for p in projects:
        if Status.values.index(p.status) < funded_at:
            continue
        fund_id = fund_ids[p.community_id]
        ledger.append(
            FundLedgerEntry(fund_id=fund_id, project=p, kind=LedgerKind.COMMIT, amount=p.budget, by=admin)
        )
        if p.spent:
            ledger.append(
                FundLedgerEntry(fund_id=fund_id, project=p, kind=LedgerKind.EXPENSE, amount=p.spent, by=admin)
            )
        if p.status == Status.PUBLISHED and p.budget > p.spent:
            ledger.append(
                FundLedgerEntry(
                    fund_id=fund_id, project=p, kind=LedgerKind.RELEASE, amount=p.budget - p.spent, by=admin
                )
            )
    FundLedgerEntry.objects.bulk_create(ledger, batch_size=5000)
