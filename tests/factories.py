"""factory-boy factories for every model; tests build exactly the data they talk about."""

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from members.id_numbers import with_check_character
from members.models import (
    Member,
    MemberStatus,
    Organization,
    OrganizationKind,
    PointRule,
    Reward,
    Role,
    RuleCategory,
    Sector,
    ServiceRecord,
    User,
    Volunteer,
)
from members.roster import enrol_member
from projects.models import Category, CommunityFund, Expense, Project
from services.models import (
    Booking,
    BookingStatus,
    ClosedDate,
    Need,
    Purpose,
    Resource,
    ResourceForm,
    ServiceCategory,
    ServiceKind,
    VenueRules,
)
from services.needs import create_need, create_resource
from sites.models import Area, AreaLevel, Site, SiteTier, Venue


class AreaFactory(DjangoModelFactory):
    """An area at `level`; its parents are made up to the city unless given (the one city: the
    database allows no second)."""

    class Meta:
        model = Area

    level = AreaLevel.CITY
    name = factory.Sequence(lambda n: f"区域{n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        level = kwargs.get("level")
        if kwargs.get("parent") is None and level != AreaLevel.CITY:
            levels = list(AreaLevel.values)
            parent_level = levels[levels.index(level) - 1]
            kwargs["parent"] = CityFactory() if parent_level == AreaLevel.CITY else cls(level=parent_level)
        return super()._create(model_class, *args, **kwargs)


class CityFactory(AreaFactory):
    """The city: the existing one if there is one."""

    class Meta:
        django_get_or_create = ["level"]

    level = AreaLevel.CITY
    name = "苏州市"


class DistrictFactory(AreaFactory):
    level = AreaLevel.DISTRICT
    name = factory.Sequence(lambda n: f"第{n}区")


class TownFactory(AreaFactory):
    level = AreaLevel.TOWN
    name = factory.Sequence(lambda n: f"第{n}街道")


class CommunityFactory(AreaFactory):
    level = AreaLevel.COMMUNITY
    name = factory.Sequence(lambda n: f"第{n}社区")


class GridFactory(AreaFactory):
    level = AreaLevel.GRID
    name = factory.Sequence(lambda n: f"第{n}网格")


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    tier = SiteTier.STATION
    area = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"测试党群服务站{n}")
    address = factory.Sequence(lambda n: f"苏州市测试路{n}号")
    latitude = factory.Sequence(lambda n: f"{31.3 + (n % 100) * 0.001:.6f}")
    longitude = factory.Sequence(lambda n: f"{120.6 + (n % 100) * 0.001:.6f}")
    phone = "0512-65220000"
    fn_service = True


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = Venue

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"活动室{n}")
    capacity = 30


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试党支部{n}")
    kind = OrganizationKind.BRANCH
    area = factory.SubFactory(CommunityFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.ORGANIZER
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    """Community staff by default; pass role and area for street or district staff."""

    role = Role.COMMUNITY_STAFF
    is_staff = True
    area = factory.SubFactory(CommunityFactory)


# --- services: room booking ---------------------------------------------------------------------------


def local(date, hour, minute=0):
    """An aware datetime at `hour:minute` local time (Asia/Shanghai) on `date`."""
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))


def next_weekday(weekday=0, weeks=1):
    """A date `weeks` weeks ahead on `weekday` (0 = Monday): a day every default room is open all day."""
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


class VenueRulesFactory(DjangoModelFactory):
    class Meta:
        model = VenueRules

    venue = factory.SubFactory(VenueFactory)


class ClosedDateFactory(DjangoModelFactory):
    class Meta:
        model = ClosedDate

    venue = factory.SubFactory(VenueFactory)
    date = factory.LazyFunction(next_weekday)
    reason = "设备检修"


class BookingFactory(DjangoModelFactory):
    """A confirmed 10:00–11:00 booking next Monday, inserted directly (tests of book_venue use it)."""

    class Meta:
        model = Booking

    venue = factory.SubFactory(VenueFactory)
    organizer = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"主题党日活动{n}")
    purpose = Purpose.PARTY_DAY
    group_name = "测试团体"
    attendees = 10
    contact_phone = "13812345678"
    start = factory.LazyFunction(lambda: local(next_weekday(), 10))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=1))
    status = BookingStatus.CONFIRMED


# --- projects ---------------------------------------------------------------------------------------


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def receipt_file(name="receipt.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CommunityFundFactory(DjangoModelFactory):
    class Meta:
        model = CommunityFund

    community = factory.SubFactory(CommunityFactory)
    year = 2025


class ProjectFactory(DjangoModelFactory):
    """A project at `status` (set directly: tests of the workflow start from any step)."""

    class Meta:
        model = Project

    community = factory.SubFactory(CommunityFactory)
    year = 2025
    title = factory.Sequence(lambda n: f"为民服务项目{n}")
    category = Category.PUBLIC_SERVICE
    budget = Decimal("10000.00")
    expected_beneficiaries = 100


class ExpenseFactory(DjangoModelFactory):
    class Meta:
        model = Expense

    project = factory.SubFactory(ProjectFactory)
    date = dt.date(2025, 6, 1)
    payee = "苏州某文化传播有限公司"
    amount = Decimal("1000.00")
    purpose = "活动物料"
    receipt = factory.LazyFunction(receipt_file)
    submitted_by = factory.SubFactory(StaffFactory)


# --- members: the party-member roster ----------------------------------------------------------------


def id_number(n, year=1980):
    """The n-th made-up 身份证号 with a valid check character (born 1 July of `year`). Tests that name
    their numbers use 1980; MemberFactory's own sequence uses 1981, so the two never meet."""
    return with_check_character(f"320508{year}0701{n % 1000:03d}")


class MemberFactory(DjangoModelFactory):
    """A member enrolled through the roster's one write path (members.roster.enrol_member), so the
    fingerprint and the first membership are there as in real use."""

    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"党员{n}")
    id_number = factory.Sequence(lambda n: id_number(n, year=1981))
    status = MemberStatus.FULL
    organization = factory.SubFactory(OrganizationFactory)
    joined_on = dt.date(2010, 7, 1)
    since = dt.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, by=None, **kwargs):
        return enrol_member(by=by or UserFactory.build(is_superuser=True), **kwargs)


# --- members: volunteers, service records, points and rewards ------------------------------------------

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def photo_file(name="service.jpg", content=JPEG_BYTES):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


class VolunteerUserFactory(UserFactory):
    role = Role.VOLUNTEER


class VolunteerFactory(DjangoModelFactory):
    class Meta:
        model = Volunteer

    name = factory.Sequence(lambda n: f"志愿者{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(VolunteerUserFactory)


class PointRuleFactory(DjangoModelFactory):
    class Meta:
        model = PointRule

    code = factory.Sequence(lambda n: f"rule-{n}")
    name = factory.Sequence(lambda n: f"志愿服务{n}")
    category = RuleCategory.VOLUNTEERING
    area = factory.LazyFunction(lambda: CityFactory())
    unit = "小时"
    points_per_unit = 10
    evidence_required = False
    effective_from = dt.date(2020, 1, 1)


class ServiceRecordFactory(DjangoModelFactory):
    class Meta:
        model = ServiceRecord

    volunteer = factory.SubFactory(VolunteerFactory)
    rule = factory.SubFactory(PointRuleFactory)
    title = "敬老院陪伴老人"
    place = "社区养老服务站"
    served_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    units = Decimal("2")


class RewardFactory(DjangoModelFactory):
    class Meta:
        model = Reward

    organization = factory.SubFactory(
        OrganizationFactory, name=factory.Sequence(lambda n: f"联盟单位{n}"), sector=Sector.STATE_OWNED
    )
    name = factory.Sequence(lambda n: f"兑换项{n}")
    price = 50
    stock = 10


# --- members: organisation life (三会一课, terms) ------------------------------------------------------

from members.models import (  # noqa: E402
    Attendance,
    AttendanceStatus,
    CommitteeTerm,
    Meeting,
    MeetingKind,
    MeetingStatus,
)


class MeetingFactory(DjangoModelFactory):
    """A meeting held a week ago somewhere other than a room (rows for fixtures: the write path is
    members/meetings.py, tested on its own)."""

    class Meta:
        model = Meeting

    organization = factory.SubFactory(OrganizationFactory)
    kind = MeetingKind.GENERAL_MEETING
    status = MeetingStatus.HELD
    start = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    end = factory.LazyAttribute(lambda m: m.start + dt.timedelta(hours=2))
    place = "社区党员活动室"
    topic = factory.Sequence(lambda n: f"学习会议精神{n}")
    created_by = factory.SubFactory(UserFactory, is_superuser=True)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(MemberFactory, organization=factory.SelfAttribute("..meeting.organization"))
    status = AttendanceStatus.PRESENT


class CommitteeTermFactory(DjangoModelFactory):
    class Meta:
        model = CommitteeTerm

    organization = factory.SubFactory(OrganizationFactory)
    number = 1
    elected_on = dt.date(2023, 6, 1)
    years = 3
    regular_due_on = factory.LazyAttribute(lambda t: t.elected_on.replace(year=t.elected_on.year + t.years))


# --- services: 需求清单, 资源清单, 双向认领 ------------------------------------------------------------


class UnitFactory(OrganizationFactory):
    """A co-building unit (共驻共建单位) paired with a street (by default its own area's street)."""

    name = factory.Sequence(lambda n: f"共建单位{n}")
    sector = Sector.STATE_OWNED
    area = factory.SubFactory(CommunityFactory)
    paired_street = factory.LazyAttribute(lambda o: o.area.parent)


class UnitStaffFactory(UserFactory):
    """A unit's staff member: an organiser account of the unit (User.organization)."""

    organization = factory.SubFactory(UnitFactory)


class NeedFactory(DjangoModelFactory):
    """A published need of a community, made through the write path."""

    class Meta:
        model = Need

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"社区需求{n}")
    category = ServiceCategory.PUBLIC_SERVICE
    kind = ServiceKind.REPAIR
    quantity = 5
    unit = "次"

    @classmethod
    def _create(cls, model_class, *args, by=None, publish=True, **kwargs):
        community = kwargs.pop("community")
        by = by or StaffFactory(area=community)
        return create_need(community=community, by=by, publish=publish, **kwargs)


class ResourceFactory(DjangoModelFactory):
    """A published resource of a co-building unit, made through the write path."""

    class Meta:
        model = Resource

    organization = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"共建资源{n}")
    form = ResourceForm.VOLUNTEERS
    kind = ServiceKind.REPAIR
    quantity = 12
    unit = "次"

    @classmethod
    def _create(cls, model_class, *args, by=None, publish=True, **kwargs):
        organization = kwargs.pop("organization")
        by = by or UnitStaffFactory(organization=organization)
        return create_resource(organization=organization, by=by, publish=publish, **kwargs)


# --- services: residents' demands (issue 17) -----------------------------------------------------------


class ResidentUserFactory(UserFactory):
    role = Role.RESIDENT
    phone = factory.Sequence(lambda n: f"137{n:08d}")


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = "services.Resident"

    user = factory.SubFactory(ResidentUserFactory)
    name = factory.Sequence(lambda n: f"居民{n}")
    community = factory.SubFactory(
        CommunityFactory, latitude=Decimal("31.300000"), longitude=Decimal("120.600000")
    )


class DemandCategoryFactory(DjangoModelFactory):
    class Meta:
        model = "services.DemandCategory"
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"诉求类别{n}")
    deadline_days = 3


class DemandFactory(DjangoModelFactory):
    """A submitted demand raised through services.demands.raise_demand (the one write path), so its
    first transition is there; move it on with the operations."""

    class Meta:
        model = "services.Demand"

    resident = factory.SubFactory(ResidentFactory)
    category = factory.SubFactory(DemandCategoryFactory)
    title = factory.Sequence(lambda n: f"诉求{n}")
    description = "楼道灯不亮，晚上走路不安全。"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from services.demands import raise_demand

        resident = kwargs.pop("resident")
        kwargs.setdefault("community", resident.community if resident else None)
        by = kwargs.pop("by", None) or (resident.user if resident else None)
        return raise_demand(by=by, resident=resident, **kwargs)


# --- services: the co-building units' indicators (issue 16 item 6) ---------------------------------------


def default_indicators():
    """The three default indicators as the data migration makes them, again: a transactional test's
    flush empties the table for the tests after it."""
    import importlib

    from django.apps import apps

    importlib.import_module("services.migrations.0014_default_indicators").add_defaults(apps, None)
