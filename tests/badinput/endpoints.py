"""Every form and API write, with who may use it and a valid payload, for the bad-input corpus."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from members import meetings as meeting_records
from members import roster
from members.api import EndReportingSerializer, MemberEditSerializer, MemberSerializer, ReportingSerializer
from members.meeting_api import (
    ElectSerializer,
    ExtendSerializer,
    MeetingPlanSerializer,
    MeetingRecordSerializer,
)
from members.models import EntryKind, Role
from members.notify import notify
from members.points import post_entry
from members.rewards import request_redemption
from members.terms import elect_committee
from members.volunteer_api import RedemptionSerializer, ServiceRecordSerializer, ServiceRejectSerializer
from projects.api import ExpenseSerializer, ProjectSerializer
from projects.models import Status
from services import activities, claims
from services.activity_api import ActivityCreateSerializer, AttendanceSerializer
from services.demand_api import (
    DemandCreateSerializer,
    NoteSerializer,
    PromoteSerializer,
    ReasonSerializer,
    TransferSerializer,
)
from services.list_api import (
    ClaimCreateSerializer,
    CompleteSerializer,
    DeclineSerializer,
    EvaluateSerializer,
    NeedCreateSerializer,
    ResourceCreateSerializer,
)
from services.models import Activity, BookingStatus, Signup
from services.serializers import BookingCreateSerializer, RejectSerializer
from services.suggestion_api import DismissalSerializer
from tests.factories import (
    BookingFactory,
    ClosedDateFactory,
    CommunityFactory,
    CommunityFundFactory,
    DistrictFactory,
    ExpenseFactory,
    MemberFactory,
    NeedFactory,
    OrganizationFactory,
    PointRuleFactory,
    ProjectFactory,
    ResourceFactory,
    RewardFactory,
    ServiceRecordFactory,
    SiteFactory,
    StaffFactory,
    TownFactory,
    UnitFactory,
    UserFactory,
    VenueFactory,
    VenueRulesFactory,
    VolunteerFactory,
    id_number,
    local,
    next_weekday,
    photo_file,
    receipt_file,
)

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND"
    b"\xaeB`\x82"
)


class World:
    """The rows the endpoints act on, made when first asked for (each test builds only what it needs)."""

    @cached_property
    def district(self):
        return DistrictFactory(name="姑苏区")

    @cached_property
    def town(self):
        return TownFactory(parent=self.district, name="双塔街道")

    @cached_property
    def community(self):
        return CommunityFactory(parent=self.town, name="道前社区")

    @cached_property
    def organization(self):
        return OrganizationFactory(area=self.community, secretary="张书记", phone="13800001111")

    @cached_property
    def venue(self):
        return VenueFactory(site=SiteFactory(area=self.community), capacity=30)

    @cached_property
    def organizer(self):
        return UserFactory(organization=self.organization, phone="13912345678")

    @cached_property
    def inbox(self):
        """The organiser's 站内信 page with one unread message (the page shows the form only then)."""
        notify(recipient=self.organizer, template="booking_status", context={"title": "活动"}, key="corpus")
        return reverse("members:inbox")

    @cached_property
    def community_staff(self):
        return StaffFactory(role=Role.COMMUNITY_STAFF, area=self.community, phone="13700001111")

    @cached_property
    def street_staff(self):
        return StaffFactory(role=Role.STREET_STAFF, area=self.town)

    @cached_property
    def superuser(self):
        return UserFactory(username="root", is_superuser=True, is_staff=True)

    @cached_property
    def confirmed(self):
        return BookingFactory(venue=self.venue, organizer=self.organizer)

    @cached_property
    def pending(self):
        start = local(next_weekday(weeks=2), 14)
        return BookingFactory(
            venue=self.venue,
            organizer=self.organizer,
            status=BookingStatus.PENDING,
            start=start,
            end=start + dt.timedelta(hours=1),
        )

    @cached_property
    def activity(self):
        """An outdoor activity at the room's site next week, with places left."""
        start = local(next_weekday(3), 9)
        return activities.publish_activity(
            by=self.community_staff, site=self.venue.site, title="社区清洁志愿服务", kind="volunteer",
            start=start, end=start + dt.timedelta(hours=2), capacity=20,
        )  # fmt: skip

    @cached_property
    def signed_up(self):
        """The activity, with the organiser signed up for it."""
        activities.sign_up(activity=self.activity, user=self.organizer)
        return self.activity

    @cached_property
    def starting(self):
        """An outdoor activity starting in 20 minutes (check-in is open), the organiser signed up."""
        start = timezone.now() + dt.timedelta(minutes=20)
        activity = activities.publish_activity(
            by=self.community_staff, site=self.venue.site, title="主题党日", kind="party_day",
            start=start, end=start + dt.timedelta(hours=1), capacity=20,
        )  # fmt: skip
        activities.sign_up(activity=activity, user=self.organizer)
        return activity

    @cached_property
    def draft(self):
        return ProjectFactory(community=self.community, title="银发助餐", budget=Decimal("5000.00"))

    @cached_property
    def running(self):
        CommunityFundFactory(community=self.community, year=2025, committed=Decimal("10000.00"))
        return ProjectFactory(community=self.community, status=Status.IN_PROGRESS)

    @cached_property
    def expense(self):
        return ExpenseFactory(project=self.running, submitted_by=self.community_staff)

    @cached_property
    def rules(self):
        return VenueRulesFactory(venue=self.venue, needs_approval=True)

    @cached_property
    def closed_date(self):
        return ClosedDateFactory(venue=self.venue)

    @cached_property
    def fund(self):
        return CommunityFundFactory(community=self.community, year=2026)

    @cached_property
    def group(self):
        return Group.objects.create(name="审核组")

    @cached_property
    def member(self):
        return MemberFactory(
            organization=self.organization,
            status="probationary",
            joined_on=dt.date(2020, 7, 1),
            since=dt.date(2020, 7, 1),
        )

    @cached_property
    def reporting(self):
        return roster.report_to_community(
            member=self.member, by=self.superuser, community=self.community, since=dt.date(2024, 1, 1)
        )

    @cached_property
    def second_branch(self):
        return OrganizationFactory(area=self.community, name="第二党支部")

    @cached_property
    def volunteer(self):
        volunteer = VolunteerFactory(community=self.community, name="张三明")
        with transaction.atomic():
            post_entry(volunteer=volunteer, kind=EntryKind.EARN, amount=200, source="grant")
        return volunteer

    @cached_property
    def volunteer_user(self):
        return self.volunteer.user

    @cached_property
    def rule(self):
        return PointRuleFactory(area=self.community, name="志愿服务", evidence_required=False)

    @cached_property
    def service(self):
        return ServiceRecordFactory(volunteer=self.volunteer, rule=self.rule)

    @cached_property
    def entry(self):
        return self.volunteer.points_entries.get()

    @cached_property
    def reward(self):
        # Offered by the organiser's organisation: the organiser is the unit's staff who hand it over.
        return RewardFactory(organization=self.organization, name="免费理发", price=50, stock=5)

    @cached_property
    def redemption(self):
        return request_redemption(volunteer=self.volunteer, reward=self.reward, by=self.volunteer.user)

    # --- 组织生活 (三会一课, terms): the organiser of w.organization is its branch secretary ---

    @cached_property
    def settled_meeting(self):
        """A 党课 recorded 40 days after it was held: its record changes only by an amendment."""
        start = timezone.now() - dt.timedelta(days=40)
        return meeting_records.record_meeting(
            by=self.organizer, organization=self.organization, kind="party_lecture", start=start,
            end=start + dt.timedelta(hours=1), place="社区党员活动室", topic="学习党章", attendance={},
        )  # fmt: skip

    @cached_property
    def term(self):
        return elect_committee(
            organization=self.organization, by=self.community_staff, elected_on=dt.date(2024, 6, 1)
        )

    # --- activities' attendance, points and admin (issue 15, h15a) ---
    @cached_property
    def begun(self):
        """An outdoor activity under way (nobody can publish one in the past: written directly), the
        organiser signed up and checked in, the volunteer signed up and not."""
        start = timezone.now() - dt.timedelta(minutes=30)
        activity = Activity.objects.create(
            site=self.venue.site, organizer=self.community_staff, title="社区环境整治", kind="volunteer",
            start=start, end=start + dt.timedelta(hours=2), capacity=20, places_taken=2, point_rule=self.rule,
        )  # fmt: skip
        Signup.objects.create(activity=activity, user=self.organizer, status="signed_up", checked_in_at=start)
        Signup.objects.create(activity=activity, user=self.volunteer_user, status="signed_up")
        return activity

    # --- booking check-in and the no-show hold (issue 15 item 4) ---

    @cached_property
    def starting_booking(self):
        """The organiser's confirmed booking of the room starting in 10 minutes: check-in is open."""
        start = timezone.now() + dt.timedelta(minutes=10)
        return BookingFactory(
            venue=self.venue, organizer=self.organizer, start=start, end=start + dt.timedelta(hours=1)
        )

    @cached_property
    def held(self):
        """A booking sent to review by the no-show rule: its organiser missed three bookings this month."""
        organizer = UserFactory(phone="13912340000")
        for days in (3, 5, 7):
            start = local(timezone.localdate() - dt.timedelta(days=days), 9)
            BookingFactory(
                venue=self.venue, organizer=organizer, start=start, end=start + dt.timedelta(hours=1),
                status=BookingStatus.NO_SHOW, released_at=start + dt.timedelta(minutes=15),
            )  # fmt: skip
        start = local(next_weekday(4, weeks=2), 15)
        return BookingFactory(
            venue=self.venue, organizer=organizer, start=start, end=start + dt.timedelta(hours=1),
            status=BookingStatus.PENDING, review_reason="近 90 天内 3 次预约未到场，需工作人员审核。",
        )  # fmt: skip

    # --- 三张清单: needs, resources, claims ---

    @cached_property
    def unit(self):
        return UnitFactory(area=self.community, paired_street=self.town, name="沧浪亭管理处")

    @cached_property
    def unit_staff(self):
        return UserFactory(organization=self.unit, phone="13912340000")

    @cached_property
    def need(self):
        return NeedFactory(community=self.community, by=self.community_staff, title="绿化修建", quantity=5)

    @cached_property
    def claim(self):
        """A pending claim by the unit for one of the need."""
        return claims.claim_need(need=self.need, by=self.unit_staff, quantity=1)

    @cached_property
    def running_claim(self):
        """The claim, accepted by the community: in progress."""
        return claims.accept_claim(claim=self.claim, by=self.community_staff)

    @cached_property
    def done_claim(self):
        """The claim, completed by the unit: waiting for the community's evaluation."""
        return claims.complete_claim(
            claim=self.running_claim, by=self.unit_staff, on=timezone.localdate(), beneficiaries=10
        )


def nothing(world):
    return {}


@dataclass
class Endpoint:
    name: str
    user: str  # a World attribute, or "" for anonymous
    url: callable  # World -> the address posted to
    page: callable = None  # World -> the page showing the form (HTML forms)
    fill: callable = nothing  # World -> values to type into the form (or the JSON body)
    serializer: type = None  # API: the fields and their kinds
    api: str = ""  # "json" or "multipart"
    method: str = "post"
    files: callable = nothing  # World -> fresh files for each post
    edits: callable = None  # World -> the row a change page edits (must be unchanged when refused)
    # Pages: a request is taken when it writes (a refusal may redirect with a message); these two write
    # nothing of ours, so their redirect is the sign.
    taken_by_redirect: bool = False
    kinds: dict = field(default_factory=dict)  # kinds the page can't show (a hidden input's id)

    @property
    def is_api(self):
        return bool(self.api)


def admin_add(model, fill, **kwargs):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_add"
    url = lambda w: reverse(name)  # noqa: E731
    return Endpoint(f"admin {model._meta.model_name} add", "superuser", url, url, fill, **kwargs)


def admin_change(model, obj, fill=nothing):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"

    def url(w):
        return reverse(name, args=[obj(w).pk])

    return Endpoint(f"admin {model._meta.model_name} change", "superuser", url, url, fill, edits=obj)


def admin_action(model, action, selected, fill=nothing):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    url = lambda w: reverse(name)  # noqa: E731
    return Endpoint(
        f"admin {model._meta.model_name} action {action}",
        "superuser",
        url,
        url,
        lambda w: {"action": action, "_selected_action": str(selected(w).pk), "index": "0", **fill(w)},
        edits=selected,
    )


def booking_fill(w, **more):
    w.venue, w.organizer  # noqa: B018  (made before the page is read)
    return {
        "date": next_weekday(2, weeks=1).isoformat(),
        "start_time": "09:00",
        "end_time": "10:00",
        "title": "主题党日活动",
        "purpose": "party_day",
        "organization": str(w.organization.pk),
        "attendees": "12",
        "contact_phone": "13912345678",
        **more,
    }


OPEN_EVERY_DAY = {
    f"opening_hours_{day}_0_{end}": time
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for end, time in (("start", "09:00"), ("end", "17:00"))
}


def model(label):
    return apps.get_model(label)


ENDPOINTS = [
    # --- pages ---
    Endpoint(
        "login",
        "",
        lambda w: reverse("login"),
        lambda w: reverse("login"),
        lambda w: {"username": w.organizer.username, "password": PASSWORD},
        taken_by_redirect=True,
    ),
    Endpoint(
        "password reset",
        "",
        lambda w: reverse("password_reset"),
        lambda w: reverse("password_reset"),
        lambda w: {"email": "zhang@example.cn"},
        taken_by_redirect=True,
    ),
    Endpoint(
        "booking form",
        "organizer",
        lambda w: reverse("services:book", args=[w.venue.pk]),
        lambda w: reverse("services:book", args=[w.venue.pk]),
        booking_fill,
    ),
    Endpoint(
        "recurring series",
        "organizer",
        lambda w: reverse("services:book", args=[w.venue.pk]),
        lambda w: reverse("services:book", args=[w.venue.pk]),
        lambda w: booking_fill(w, repeat="weekly", count="3", action="book_all"),
    ),
    Endpoint(
        "cancel",
        "organizer",
        lambda w: reverse("services:cancel", args=[w.confirmed.pk]),
        lambda w: reverse("services:cancel", args=[w.confirmed.pk]),  # the confirmation page holds the form
        edits=lambda w: w.confirmed,
    ),
    Endpoint(
        "review approve",
        "community_staff",
        lambda w: reverse("services:approve", args=[w.pending.pk]),
        lambda w: reverse("services:review-queue"),
        edits=lambda w: w.pending,
    ),
    Endpoint(
        "review reject",
        "community_staff",
        lambda w: reverse("services:reject", args=[w.pending.pk]),
        lambda w: reverse("services:review-queue"),
        lambda w: {"reason": "时间与其他活动冲突"},
        edits=lambda w: w.pending,
    ),
    Endpoint(
        "calendar regenerate (room)",
        "community_staff",
        lambda w: reverse("services:calendar-regenerate"),
        lambda w: reverse("services:room-detail", args=[w.venue.pk]),
        kinds={"venue": "id"},
    ),
    Endpoint(
        "project create",
        "community_staff",
        lambda w: reverse("projects:project-create"),
        lambda w: reverse("projects:project-create"),
        lambda w: {
            "year": "2025",
            "title": "关爱老人、情暖夕阳",
            "category": "public_service",
            "budget": "8000",
        },
    ),
    Endpoint(
        "project edit",
        "community_staff",
        lambda w: reverse("projects:project-edit", args=[w.draft.pk]),
        lambda w: reverse("projects:project-edit", args=[w.draft.pk]),
        # An edit writes only what changed (planning.edit_project): the valid request changes something.
        fill=lambda w: {"description": "补充的项目内容"},
        edits=lambda w: w.draft,
    ),
    Endpoint(
        "project advance",
        "community_staff",
        # The step form posts to the project's own page, so a refused step keeps its URL.
        lambda w: reverse("projects:project-detail", args=[w.draft.pk]),
        lambda w: reverse("projects:project-detail", args=[w.draft.pk]),
        edits=lambda w: w.draft,
    ),
    Endpoint(
        "expense submit",
        "community_staff",
        lambda w: reverse("projects:expense-submit", args=[w.running.pk]),
        lambda w: reverse("projects:project-detail", args=[w.running.pk]),
        lambda w: {"date": "2025-06-01", "payee": "苏州某文化公司", "amount": "300", "purpose": "活动物料"},
        files=lambda w: {"receipt": receipt_file()},
    ),
    Endpoint(
        "expense decide",
        "street_staff",
        lambda w: reverse("projects:expense-decide", args=[w.expense.pk]),
        lambda w: reverse("projects:project-detail", args=[w.expense.project.pk]),
        lambda w: {"note": "票据齐全"},
        edits=lambda w: w.expense,
    ),
    Endpoint(
        "photo upload",
        "community_staff",
        lambda w: reverse("projects:photo-upload", args=[w.running.pk]),
        lambda w: reverse("projects:project-detail", args=[w.running.pk]),
        lambda w: {"caption": "活动现场"},
        files=lambda w: {"image": receipt_file("photo.png", PNG)},
    ),
    Endpoint(
        "notification channels",
        "organizer",
        lambda w: reverse("members:me"),
        lambda w: reverse("members:me"),
    ),
    Endpoint(
        "inbox mark read",
        "organizer",
        lambda w: reverse("members:inbox-read"),
        lambda w: w.inbox,
        taken_by_redirect=True,
    ),
    Endpoint(
        "volunteer register (send code)",
        "",
        lambda w: reverse("volunteers:register"),
        lambda w: reverse("volunteers:register"),
        lambda w: {"phone": "13912345670", "action": "send"},
    ),
    Endpoint(
        "service record submit",
        "volunteer_user",
        lambda w: reverse("volunteers:service-new"),
        lambda w: reverse("volunteers:service-new"),
        lambda w: {
            "rule": str(w.rule.pk),
            "title": "敬老院陪伴老人",
            "place": "社区养老服务站",
            "served_on": "2026-01-05",
            "units": "2",
        },
        files=lambda w: {"photos": photo_file()},
    ),
    Endpoint(
        "service record verify",
        "community_staff",
        lambda w: reverse("volunteers:service-verify", args=[w.service.pk]),
        lambda w: reverse("volunteers:review"),
        edits=lambda w: w.service,
    ),
    Endpoint(
        "service record reject",
        "community_staff",
        lambda w: reverse("volunteers:service-reject", args=[w.service.pk]),
        lambda w: reverse("volunteers:review"),
        lambda w: {"reason": "照片看不清"},
        edits=lambda w: w.service,
    ),
    Endpoint(
        "reward redeem",
        "volunteer_user",
        lambda w: reverse("volunteers:reward-redeem", args=[w.reward.pk]),
        lambda w: reverse("volunteers:rewards"),
        edits=lambda w: w.reward,
    ),
    Endpoint(
        "redemption hand over",
        "organizer",
        lambda w: reverse("volunteers:redemption-hand-over", args=[w.redemption.pk]),
        lambda w: reverse("volunteers:handover"),
        edits=lambda w: w.redemption,
    ),
    Endpoint(
        "redemption cancel",
        "volunteer_user",
        lambda w: reverse("volunteers:redemption-cancel", args=[w.redemption.pk]),
        lambda w: reverse("volunteers:me"),
        edits=lambda w: w.redemption,
    ),
    # --- the admin: every registered model's add and change pages, and the actions that write ---
    admin_add(
        model("sites.Area"), lambda w: {"name": "新社区", "level": "community", "parent": str(w.town.pk)}
    ),
    admin_change(model("sites.Area"), lambda w: w.community),
    admin_add(
        model("sites.Site"),
        lambda w: {
            "name": "新党群服务点",
            "tier": "point",
            "area": str(w.community.pk),
            "address": "苏州市人民路 1 号",
            "latitude": "31.300000",
            "longitude": "120.600000",
            **OPEN_EVERY_DAY,
        },
    ),
    admin_change(model("sites.Site"), lambda w: w.venue.site),
    admin_add(
        model("sites.Venue"), lambda w: {"site": str(w.venue.site.pk), "name": "新活动室", "capacity": "20"}
    ),
    admin_change(model("sites.Venue"), lambda w: w.venue),
    admin_add(
        model("members.Organization"),
        lambda w: {"name": "新党支部", "kind": "branch", "area": str(w.community.pk)},
    ),
    admin_change(model("members.Organization"), lambda w: w.organization),
    admin_add(
        model("members.User"),
        lambda w: {
            "username": "xinyonghu",
            "password1": "Haitang-2024!x",
            "password2": "Haitang-2024!x",
            "role": "community_staff",
            "area": str(w.community.pk),
        },
    ),
    admin_change(model("members.User"), lambda w: w.community_staff),
    admin_add(
        model("services.VenueRules"),
        lambda w: {"venue": str(w.venue.pk), "advance_days": "30", "min_minutes": "30", "max_minutes": "240"},
    ),
    admin_change(model("services.VenueRules"), lambda w: w.rules),
    admin_add(
        model("services.ClosedDate"),
        lambda w: {"venue": str(w.venue.pk), "date": "2030-01-01", "reason": "设备检修"},
    ),
    admin_change(model("services.ClosedDate"), lambda w: w.closed_date),
    admin_action(model("services.Booking"), "reject", lambda w: w.pending, lambda w: {"reason": "时间冲突"}),
    admin_add(
        model("projects.CommunityFund"),
        lambda w: {"community": str(w.community.pk), "year": "2027", "amount": "200000.00"},
    ),
    admin_change(model("projects.CommunityFund"), lambda w: w.fund),
    admin_add(
        model("projects.Project"),
        lambda w: {
            "community": str(w.community.pk),
            "year": "2025",
            "title": "新项目",
            "category": "public_service",
            "budget": "100",
            "expected_beneficiaries": "10",
        },
    ),
    admin_change(model("projects.Project"), lambda w: w.draft),
    admin_action(
        model("projects.Project"), "step_surveying_defined", lambda w: w.draft, lambda w: {"comment": ""}
    ),
    admin_action(model("projects.Expense"), "approve", lambda w: w.expense, lambda w: {"comment": "同意"}),
    admin_add(
        model("members.Member"),
        lambda w: {
            "name": "周建华",
            "id_number": id_number(900),
            "status": "full",
            "organization": str(w.organization.pk),
            "since": "2024-01-01",
        },
    ),
    admin_change(model("members.Member"), lambda w: w.member, lambda w: {"workplace": "苏州会议中心"}),
    admin_add(
        model("members.CommunityReporting"),
        lambda w: {"member": str(w.member.pk), "community": str(w.community.pk), "since": "2024-01-01"},
    ),
    admin_change(
        model("members.CommunityReporting"), lambda w: w.reporting, lambda w: {"until": "2024-06-01"}
    ),
    admin_add(
        model("members.Volunteer"),
        lambda w: {"name": "李四", "phone": "13912340000", "community": str(w.community.pk)},
    ),
    admin_change(model("members.Volunteer"), lambda w: w.volunteer, lambda w: {"name": "张三明（改）"}),
    admin_add(
        model("members.PointRule"),
        lambda w: {
            "code": "xunluo",
            "name": "平安巡逻",
            "category": "hazard",
            "area": str(w.community.pk),
            "unit": "小时",
            "points_per_unit": "5",
            "effective_from": "2026-01-01",
        },
    ),
    # A change is a new version from a later day (points.revise_rule); the old one ends the day before.
    admin_change(model("members.PointRule"), lambda w: w.rule, lambda w: {"effective_from": "2030-01-01"}),
    admin_add(
        model("members.Reward"),
        lambda w: {"organization": str(w.organization.pk), "name": "电影票", "price": "80", "stock": "10"},
    ),
    admin_change(model("members.Reward"), lambda w: w.reward, lambda w: {"description": "每月限一次"}),
    admin_action(model("members.ServiceRecord"), "verify", lambda w: w.service),
    admin_action(
        model("members.ServiceRecord"), "reject", lambda w: w.service, lambda w: {"reason": "时长有误"}
    ),
    admin_action(
        model("members.PointsEntry"), "reverse", lambda w: w.entry, lambda w: {"reason": "重复登记"}
    ),
    admin_action(model("members.Redemption"), "hand_over", lambda w: w.redemption),
    admin_action(model("members.Redemption"), "cancel", lambda w: w.redemption),
    admin_add(Group, lambda w: {"name": "新的组"}),
    admin_change(Group, lambda w: w.group),
    Endpoint(
        "activity signup",
        "organizer",
        lambda w: reverse("services:activity-signup", args=[w.activity.pk]),
        lambda w: w.activity.get_absolute_url(),
    ),
    Endpoint(
        "activity cancel signup",
        "organizer",
        lambda w: reverse("services:activity-cancel-signup", args=[w.signed_up.pk]),
        lambda w: w.signed_up.get_absolute_url(),
        edits=lambda w: w.signed_up.signups.get(user=w.organizer),
    ),
    Endpoint(
        "activity cancel",
        "community_staff",
        lambda w: reverse("services:activity-cancel", args=[w.activity.pk]),
        lambda w: w.activity.get_absolute_url(),
        edits=lambda w: w.activity,
    ),
    Endpoint(
        "activity check-in",
        "organizer",
        lambda w: reverse("services:activity-checkin", args=[w.starting.pk]),
        lambda w: reverse("services:activity-checkin", args=[w.starting.pk]),
        edits=lambda w: w.starting.signups.get(user=w.organizer),
    ),
    # --- the API ---
    Endpoint(
        "api activity create",
        "organizer",
        lambda w: reverse("services:api-activities"),
        fill=lambda w: {
            "site": w.venue.site.pk,
            "venue": w.venue.pk,
            "title": "博士阳光讲坛",
            "kind": "lecture",
            "start": local(next_weekday(2), 14).isoformat(),
            "end": local(next_weekday(2), 16).isoformat(),
            "capacity": 30,
            "contact_phone": "13912345678",
        },
        serializer=ActivityCreateSerializer,
        api="json",
    ),
    Endpoint(
        "api activity signup",
        "organizer",
        lambda w: reverse("services:api-activity-signup", args=[w.activity.pk]),
        api="json",
    ),
    Endpoint(
        "api activity check-in",
        "organizer",
        lambda w: reverse("services:api-activity-checkin", args=[w.starting.pk]),
        api="json",
        edits=lambda w: w.starting.signups.get(user=w.organizer),
    ),
    Endpoint(
        "api activity cancel signup",
        "organizer",
        lambda w: reverse("services:api-activity-cancel-signup", args=[w.signed_up.pk]),
        api="json",
        edits=lambda w: w.signed_up.signups.get(user=w.organizer),
    ),
    Endpoint(
        "api booking create",
        "organizer",
        lambda w: reverse("services:api-bookings"),
        fill=lambda w: {
            "venue": w.venue.pk,
            "start": local(next_weekday(2), 9).isoformat(),
            "end": local(next_weekday(2), 10).isoformat(),
            "title": "主题党日",
            "purpose": "party_day",
            "attendees": 12,
            "contact_phone": "13912345678",
            "group_name": "夕阳红合唱团",
        },
        serializer=BookingCreateSerializer,
        api="json",
    ),
    Endpoint(
        "api booking cancel",
        "organizer",
        lambda w: reverse("services:api-cancel", args=[w.confirmed.pk]),
        api="json",
        edits=lambda w: w.confirmed,
    ),
    Endpoint(
        "api booking approve",
        "community_staff",
        lambda w: reverse("services:api-approve", args=[w.pending.pk]),
        api="json",
        edits=lambda w: w.pending,
    ),
    Endpoint(
        "api booking reject",
        "community_staff",
        lambda w: reverse("services:api-reject", args=[w.pending.pk]),
        fill=lambda w: {"reason": "时间冲突"},
        serializer=RejectSerializer,
        api="json",
        edits=lambda w: w.pending,
    ),
    Endpoint(
        "api project create",
        "community_staff",
        lambda w: reverse("projects:api-project-list"),
        fill=lambda w: {
            "year": 2025,
            "title": "博士阳光讲坛",
            "category": "party_building",
            "budget": "6000.00",
            "expected_beneficiaries": 200,
        },
        serializer=ProjectSerializer,
        api="json",
    ),
    Endpoint(
        "api project edit",
        "community_staff",
        lambda w: reverse("projects:api-project-detail", args=[w.draft.pk]),
        fill=lambda w: {"title": "银发助餐（二期）", "budget": "6000.00", "expected_beneficiaries": 80},
        serializer=ProjectSerializer,
        api="json",
        method="patch",
        edits=lambda w: w.draft,
    ),
    Endpoint(
        "api project advance",
        "community_staff",
        lambda w: reverse("projects:api-project-advance", args=[w.draft.pk]),
        fill=lambda w: {"to": "defined", "comment": "需求已摸清"},
        api="json",
        edits=lambda w: w.draft,
    ),
    Endpoint(
        "api expense create",
        "community_staff",
        lambda w: reverse("projects:api-expense-list"),
        fill=lambda w: {
            "project": w.running.pk,
            "date": "2025-06-01",
            "payee": "苏州某文化公司",
            "amount": "300",
            "purpose": "活动物料",
        },
        serializer=ExpenseSerializer,
        api="multipart",
        files=lambda w: {"receipt": receipt_file()},
    ),
    Endpoint(
        "api member create",
        "community_staff",
        lambda w: reverse("members:api-member-list"),
        fill=lambda w: {
            "name": "顾晓雯",
            "id_number": id_number(901),
            "status": "probationary",
            "organization": w.organization.pk,
            "joined_on": "2024-06-01",
            "since": "2024-06-01",
        },
        serializer=MemberSerializer,
        api="json",
    ),
    Endpoint(
        "api member edit",
        "community_staff",
        lambda w: reverse("members:api-member-detail", args=[w.member.pk]),
        fill=lambda w: {"name": "周建华", "workplace": "苏州会议中心", "joined_on": "2020-07-01"},
        serializer=MemberEditSerializer,
        api="json",
        method="patch",
        edits=lambda w: w.member,
    ),
    Endpoint(
        "api member move",
        "community_staff",
        lambda w: reverse("members:api-member-move", args=[w.member.pk]),
        fill=lambda w: {"to": w.second_branch.pk, "on": "2024-03-01"},
        api="json",
        edits=lambda w: w.member,
    ),
    Endpoint(
        "api member confirm",
        "community_staff",
        lambda w: reverse("members:api-member-confirm", args=[w.member.pk]),
        fill=lambda w: {"on": "2021-07-01"},
        api="json",
        edits=lambda w: w.member,
    ),
    Endpoint(
        "api expense approve",
        "street_staff",
        lambda w: reverse("projects:api-expense-approve", args=[w.expense.pk]),
        fill=lambda w: {"note": "同意"},
        api="multipart",
        edits=lambda w: w.expense,
    ),
    Endpoint(
        "api expense reject",
        "street_staff",
        lambda w: reverse("projects:api-expense-reject", args=[w.expense.pk]),
        fill=lambda w: {"note": "票据不清"},
        api="multipart",
        edits=lambda w: w.expense,
    ),
    Endpoint(
        "api service record create",
        "volunteer_user",
        lambda w: reverse("volunteers:api-service-record-list"),
        fill=lambda w: {
            "rule": w.rule.pk,
            "title": "入户信息采集",
            "place": "5幢",
            "served_on": "2026-01-05",
            "units": "3",
        },
        serializer=ServiceRecordSerializer,
        api="multipart",
        files=lambda w: {"photos": photo_file()},
    ),
    Endpoint(
        "api service record verify",
        "community_staff",
        lambda w: reverse("volunteers:api-service-record-verify", args=[w.service.pk]),
        api="json",
        edits=lambda w: w.service,
    ),
    Endpoint(
        "api service record reject",
        "community_staff",
        lambda w: reverse("volunteers:api-service-record-reject", args=[w.service.pk]),
        fill=lambda w: {"reason": "时长有误"},
        serializer=ServiceRejectSerializer,
        api="json",
        edits=lambda w: w.service,
    ),
    Endpoint(
        "api redemption create",
        "volunteer_user",
        lambda w: reverse("volunteers:api-redemption-list"),
        fill=lambda w: {"reward": w.reward.pk},
        serializer=RedemptionSerializer,
        api="json",
    ),
    Endpoint(
        "api redemption hand over",
        "organizer",
        lambda w: reverse("volunteers:api-redemption-hand-over", args=[w.redemption.pk]),
        api="json",
        edits=lambda w: w.redemption,
    ),
    Endpoint(
        "api redemption cancel",
        "volunteer_user",
        lambda w: reverse("volunteers:api-redemption-cancel", args=[w.redemption.pk]),
        api="json",
        edits=lambda w: w.redemption,
    ),
    # --- h14: 在职党员报到 through the API ---
    Endpoint(
        "api reporting create",
        "community_staff",
        lambda w: reverse("members:api-reporting-list"),
        fill=lambda w: {"member": w.member.pk, "community": w.community.pk, "since": "2024-01-01"},
        serializer=ReportingSerializer,
        api="json",
    ),
    Endpoint(
        "api reporting end",
        "community_staff",
        lambda w: reverse("members:api-reporting-end", args=[w.reporting.pk]),
        fill=lambda w: {"until": "2024-06-30"},
        serializer=EndReportingSerializer,
        api="json",
        edits=lambda w: w.reporting,
    ),
    # --- activities' attendance, points and admin (issue 15, h15a) ---
    Endpoint(
        "activity attendance",
        "community_staff",
        lambda w: reverse("services:activity-attendance", args=[w.begun.pk]),
        lambda w: reverse("services:activity-attendance", args=[w.begun.pk]),
        edits=lambda w: w.begun,
    ),
    Endpoint(
        "api activity attendance",
        "community_staff",
        lambda w: reverse("services:api-activity-attendance", args=[w.begun.pk]),
        fill=lambda w: {"attended": [s.pk for s in w.begun.signups.all()]},
        serializer=AttendanceSerializer,
        api="json",
        edits=lambda w: w.begun,
    ),
    admin_add(
        model("services.Activity"),
        lambda w: {
            "site": str(w.venue.site.pk),
            "title": "博士阳光讲坛",
            "kind": "lecture",
            "start_0": next_weekday(2).isoformat(),
            "start_1": "14:00",
            "end_0": next_weekday(2).isoformat(),
            "end_1": "16:00",
            "capacity": "30",
            "eligibility": "anyone",
            "point_rule": str(w.rule.pk),
        },
        files=lambda w: {"cover": photo_file("cover.png", PNG)},
    ),
    admin_change(model("services.Activity"), lambda w: w.activity, lambda w: {"title": "社区清洁日"}),
    admin_action(model("services.Activity"), "cancel", lambda w: w.activity),
    admin_action(model("services.Activity"), "confirm_attendance", lambda w: w.begun),
    admin_action(model("services.Signup"), "withdraw", lambda w: w.signed_up.signups.get(user=w.organizer)),
]


# --- 组织生活 (三会一课, terms) ---


def meeting_fill(w):
    w.member  # noqa: B018  (on the roster before the page is read)
    return {
        "kind": "party_lecture",
        "date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "start_time": "14:00",
        "end_time": "15:00",
        "topic": "学习党章",
        "place": "社区党员活动室",
    }


def meeting_api_fill(w, days):
    start = timezone.now() + dt.timedelta(days=days)
    return {
        "organization": w.organization.pk,
        "kind": "general_meeting",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(),
        "topic": "第一季度支部党员大会",
        "place": "社区党员活动室",
    }


ENDPOINTS += [
    Endpoint(
        "meeting record",
        "organizer",
        lambda w: reverse("members:meeting-record", args=[w.organization.pk]),
        lambda w: reverse("members:meeting-record", args=[w.organization.pk]),
        meeting_fill,
    ),
    Endpoint(
        "meeting plan",
        "organizer",
        lambda w: reverse("members:meeting-plan", args=[w.organization.pk]),
        lambda w: reverse("members:meeting-plan", args=[w.organization.pk]),
        lambda w: {
            "kind": "general_meeting",
            "date": next_weekday(2).isoformat(),
            "start_time": "14:00",
            "end_time": "15:00",
            "topic": "第一季度支部党员大会",
            "place": "社区党员活动室",
        },
    ),
    Endpoint(
        "meeting amend",
        "organizer",
        lambda w: reverse("members:meeting-detail", args=[w.settled_meeting.pk]),
        lambda w: reverse("members:meeting-detail", args=[w.settled_meeting.pk]),
        lambda w: {"topic": "学习党章（更正）", "reason": "主题记错"},
        edits=lambda w: w.settled_meeting,
    ),
    Endpoint(
        "api meeting record",
        "organizer",
        lambda w: reverse("members:api-meeting-list"),
        fill=lambda w: {
            **meeting_api_fill(w, -2),
            "minutes": "支部书记讲党课。",
            "attendance": [{"member": w.member.pk, "status": "present"}],
        },
        serializer=MeetingRecordSerializer,
        api="json",
    ),
    Endpoint(
        "api meeting plan",
        "organizer",
        lambda w: reverse("members:api-meeting-plan"),
        fill=lambda w: meeting_api_fill(w, 7),
        serializer=MeetingPlanSerializer,
        api="json",
    ),
    Endpoint(
        "api term elect",
        "community_staff",
        lambda w: reverse("members:api-term-list"),
        fill=lambda w: {"organization": w.organization.pk, "elected_on": "2024-06-01"},
        serializer=ElectSerializer,
        api="json",
    ),
    Endpoint(
        "api term extend",
        "street_staff",
        lambda w: reverse("members:api-term-extend", args=[w.term.pk]),
        fill=lambda w: {"until": "2027-09-01", "reason": "党员大会延期召开"},
        serializer=ExtendSerializer,
        api="json",
        edits=lambda w: w.term,
    ),
    admin_add(
        model("members.CommitteeTerm"),
        lambda w: {"organization": str(w.organization.pk), "number": "1", "elected_on": "2024-06-01"},
    ),
    admin_add(
        model("members.ComplianceRule"),
        lambda w: {
            "organization_kind": "branch",
            "meeting_kind": "theme_day",
            "frequency": "monthly",
            "year": "2026",
        },
    ),
]

# --- booking check-in and the no-show hold (issue 15 item 4) ---
ENDPOINTS += [
    Endpoint(
        "booking check-in",
        "organizer",
        lambda w: reverse("services:booking-checkin", args=[w.starting_booking.pk]),
        lambda w: reverse("services:room-checkin", args=[w.starting_booking.venue_id]),
        edits=lambda w: w.starting_booking,
    ),
    Endpoint(
        "review lift no-show hold",
        "community_staff",
        lambda w: reverse("services:lift-hold", args=[w.held.pk]),
        lambda w: reverse("services:review-queue"),
        lambda w: {"reason": "已电话核实，系临时停电"},
    ),
    Endpoint(
        "api booking check-in",
        "organizer",
        lambda w: reverse("services:api-booking-checkin", args=[w.starting_booking.pk]),
        api="json",
        edits=lambda w: w.starting_booking,
    ),
    admin_add(
        model("services.NoShowLift"),
        lambda w: {"organizer": str(w.held.organizer_id), "reason": "已电话核实"},
    ),
    admin_action(
        model("services.Booking"), "lift_no_show_hold", lambda w: w.held, lambda w: {"reason": "已核实"}
    ),
]

# --- 三张清单: needs, resources, claims (services/list_api.py) ---
ENDPOINTS += [
    Endpoint(
        "api need create",
        "community_staff",
        lambda w: reverse("services:api-needs"),
        fill=lambda w: {
            "community": w.community.pk,
            "title": "便民维修",
            "category": "public_service",
            "kind": "repair",
            "quantity": 12,
            "unit": "次",
            "wanted_by": "2099-12-31",
            "latitude": "31.29",
            "longitude": "120.62",
        },  # fmt: skip
        serializer=NeedCreateSerializer,
        api="json",
    ),
    Endpoint(
        "api resource create",
        "unit_staff",
        lambda w: reverse("services:api-resources"),
        fill=lambda w: {
            "title": "党员志愿者队伍",
            "form": "volunteers",
            "kind": "repair",
            "quantity": 12,
            "unit": "次",
            "street": w.town.pk,
            "contact_phone": "13912340000",
        },  # fmt: skip
        serializer=ResourceCreateSerializer,
        api="json",
    ),
    Endpoint(
        "api claim create",
        "unit_staff",
        lambda w: reverse("services:api-claims"),
        fill=lambda w: {"need": w.need.pk, "quantity": 2, "note": "每月一次"},
        serializer=ClaimCreateSerializer,
        api="json",
    ),
    Endpoint(
        "api claim accept",
        "community_staff",
        lambda w: reverse("services:api-claim-accept", args=[w.claim.pk]),
        api="json",
        edits=lambda w: w.claim,
    ),
    Endpoint(
        "api claim decline",
        "community_staff",
        lambda w: reverse("services:api-claim-decline", args=[w.claim.pk]),
        fill=lambda w: {"reason": "已由物业完成"},
        serializer=DeclineSerializer,
        api="json",
        edits=lambda w: w.claim,
    ),
    Endpoint(
        "api claim complete",
        "unit_staff",
        lambda w: reverse("services:api-claim-complete", args=[w.running_claim.pk]),
        fill=lambda w: {"on": timezone.localdate().isoformat(), "beneficiaries": "40", "note": "修剪完毕"},
        serializer=CompleteSerializer,
        api="multipart",
        files=lambda w: {"evidence": photo_file()},
        edits=lambda w: w.running_claim,
    ),
    Endpoint(
        "api claim evaluate",
        "community_staff",
        lambda w: reverse("services:api-claim-evaluate", args=[w.done_claim.pk]),
        fill=lambda w: {"rating": "satisfied", "comment": "居民满意"},
        serializer=EvaluateSerializer,
        api="json",
        edits=lambda w: w.done_claim,
    ),
]

# --- 三张清单 pages (services/list_views.py) and a claim turned into a project (projects/views/staff.py) ---
ENDPOINTS += [
    Endpoint(
        "need claim page",
        "unit_staff",
        lambda w: reverse("services:need-claim", args=[w.need.pk]),
        lambda w: w.need.get_absolute_url(),
        lambda w: {"quantity": "2", "note": "每月一次"},
    ),
    Endpoint(
        "claim decline page",
        "community_staff",
        lambda w: reverse("services:claim-decline", args=[w.claim.pk]),
        lambda w: reverse("services:claim-desk"),
        lambda w: {"reason": "已由物业完成"},
        edits=lambda w: w.claim,
    ),
    Endpoint(
        "claim complete page",
        "unit_staff",
        lambda w: reverse("services:claim-complete", args=[w.running_claim.pk]),
        lambda w: reverse("services:claim-desk"),
        lambda w: {"on": timezone.localdate().isoformat(), "beneficiaries": "40", "note": "修剪完毕"},
        files=lambda w: {"evidence": photo_file()},
        edits=lambda w: w.running_claim,
    ),
    Endpoint(
        "claim evaluate page",
        "community_staff",
        lambda w: reverse("services:claim-evaluate", args=[w.done_claim.pk]),
        lambda w: reverse("services:claim-desk"),
        lambda w: {"rating": "satisfied", "comment": "居民满意"},
        edits=lambda w: w.done_claim,
    ),
    Endpoint(
        "project from claim",
        "community_staff",
        lambda w: reverse("projects:project-from-claim", args=[w.running_claim.pk]),
        lambda w: reverse("projects:project-create"),
        lambda w: {"budget": "15000"},
    ),
]

# The advance and decision APIs' bodies (AdvanceSerializer, DecisionSerializer) are small enough to name.
API_FIELD_KINDS = {
    "api project advance": {"to": ("choice", True), "comment": ("text", False)},
    "api expense approve": {"note": ("text", False)},
    "api member move": {"to": ("id", True), "group": ("id", False), "on": ("date", False)},
    "api member confirm": {"on": ("date", False)},
    "api expense reject": {"note": ("text", False)},
}


# Residents' demands (issue 17): registration, 我要反映 and the demand's moves.
def _demand_world(name):
    """Adds a World row of the demands' (World is shared; this block keeps its own rows together)."""

    def decorator(function):
        prop = cached_property(function)
        prop.__set_name__(World, name)
        setattr(World, name, prop)
        return function

    return decorator


@_demand_world("demand_category")
def _demand_category(w):
    from tests.factories import DemandCategoryFactory

    return DemandCategoryFactory(name="设施维修", deadline_days=3)


@_demand_world("resident")
def _resident(w):
    from tests.factories import ResidentFactory

    return ResidentFactory(community=w.community, name="李阿姨")


@_demand_world("resident_user")
def _resident_user(w):
    return w.resident.user


@_demand_world("demand")
def _demand(w):
    from services.demands import raise_demand

    return raise_demand(
        by=w.resident_user, resident=w.resident, community=w.community, category=w.demand_category,
        title="楼道灯不亮", description="三楼楼道灯坏了", latitude=31.3, longitude=120.6,
    )  # fmt: skip


ENDPOINTS += [
    Endpoint(
        "resident register (send code)",
        "",
        lambda w: reverse("services:resident-register"),
        lambda w: reverse("services:resident-register"),
        lambda w: {"phone": "13912345671", "action": "send", "community": str(w.community.pk)},
    ),
]

ENDPOINTS += [
    Endpoint(
        "demand raised by staff for a resident (代为登记)",
        "community_staff",
        lambda w: reverse("services:demand-new-for-resident"),
        lambda w: reverse("services:demand-new-for-resident"),
        lambda w: {
            "channel": "phone",
            "community": str(w.community.pk),
            "contact_phone": "13912340000",
            "contact_name": "王大爷",
            "category": str(w.demand_category.pk),
            "title": "楼道灯不亮",
            "description": "来电反映二楼灯坏了",
            "latitude": "31.300000",
            "longitude": "120.600000",
        },
    ),
    Endpoint(
        "demand raise (我要反映)",
        "resident_user",
        lambda w: reverse("services:demand-new"),
        lambda w: reverse("services:demand-new"),
        lambda w: {
            "category": str(w.demand_category.pk),
            "title": "电动车乱停乱放",
            "description": "楼道口停满电动车",
            "latitude": "31.300000",
            "longitude": "120.600000",
            "address": "3 号楼门口",
        },
    ),
    Endpoint(
        "api demand raise",
        "resident_user",
        lambda w: reverse("services:api-demands"),
        fill=lambda w: {
            "category": w.demand_category.pk,
            "title": "电动车乱停乱放",
            "description": "楼道口停满电动车",
            "latitude": "31.300000",
            "longitude": "120.600000",
        },
        serializer=DemandCreateSerializer,
        api="json",
    ),
    Endpoint(
        "api demand accept",
        "community_staff",
        lambda w: reverse("services:api-demand-accept", args=[w.demand.pk]),
        fill=lambda w: {"note": "已受理"},
        serializer=NoteSerializer,
        api="json",
        edits=lambda w: w.demand,
    ),
    Endpoint(
        "api demand reject",
        "community_staff",
        lambda w: reverse("services:api-demand-reject", args=[w.demand.pk]),
        fill=lambda w: {"reason": "属于物业服务范围"},
        serializer=ReasonSerializer,
        api="json",
        edits=lambda w: w.demand,
    ),
    Endpoint(
        "api demand transfer",
        "community_staff",
        lambda w: reverse("services:api-demand-transfer", args=[w.demand.pk]),
        fill=lambda w: {"to": w.town.pk, "reason": "需街道协调"},
        serializer=TransferSerializer,
        api="json",
        edits=lambda w: w.demand,
    ),
    Endpoint(
        "api demand promote",
        "community_staff",
        lambda w: reverse("services:api-demand-promote", args=[w.demand.pk]),
        fill=lambda w: {"reason": "多户反映，列入需求清单", "kind": "fitness"},
        serializer=PromoteSerializer,
        api="json",
        edits=lambda w: w.demand,
    ),
]


# --- 三张清单: the need form, 不再推荐 (services/need_pages.py, services/suggestion_api.py; hlists) ---
def _suggested(w):
    """A resource of the world's unit, offered to its street: suggested for the world's need."""
    if "suggested" not in w.__dict__:
        w.__dict__["suggested"] = ResourceFactory(organization=w.unit, title="园林养护队", kind="greening")
        w.need  # noqa: B018 (made now, so the need's page shows the suggestion's form)
    return w.__dict__["suggested"]


def _dismissal_reason(w):
    _suggested(w)  # made before the corpus counts the rows, so only the request's own writes count
    return {"reason": "场地太小"}


ENDPOINTS += [
    Endpoint(
        "need new page",
        "community_staff",
        lambda w: reverse("services:need-new"),
        lambda w: reverse("services:need-new"),
        lambda w: {"community": str(w.community.pk), "title": "便民维修", "quantity": "12", "unit": "次"},
        files=lambda w: {"photos": photo_file()},
    ),
    Endpoint(
        "need edit page",
        "community_staff",
        lambda w: reverse("services:need-edit", args=[w.need.pk]),
        lambda w: reverse("services:need-edit", args=[w.need.pk]),
        lambda w: {"title": "绿化修建（补种）", "quantity": "6"},
        files=lambda w: {"photos": photo_file()},
        edits=lambda w: w.need,
    ),
    Endpoint(
        "suggestion dismiss page",
        "community_staff",
        lambda w: reverse("services:suggestion-dismiss", args=[w.need.pk, _suggested(w).pk]),
        lambda w: w.need.get_absolute_url(),
        lambda w: {"reason": "场地太小"},
    ),
    Endpoint(
        "api suggestion dismiss",
        "community_staff",
        lambda w: reverse("services:api-suggestion-dismiss", args=[w.need.pk, _suggested(w).pk]),
        fill=_dismissal_reason,
        serializer=DismissalSerializer,
        api="json",
    ),
]


# --- 发布活动 on a page (issue 15, act) ---


def activity_publish_url(w):
    return f"{reverse('services:activity-new')}?site={w.venue.site.pk}"


ENDPOINTS += [
    Endpoint(
        "activity publish",
        "organizer",
        activity_publish_url,
        activity_publish_url,
        lambda w: {
            "date": next_weekday(2).isoformat(),
            "start_time": "14:00",
            "end_time": "16:00",
            "venue": str(w.venue.pk),
            "title": "博士阳光讲坛",
            "kind": "lecture",
            "capacity": "30",
            "eligibility": "anyone",
            "contact_phone": "13912345678",
        },
        files=lambda w: {"cover": photo_file("cover.png", PNG)},
    ),
]


# 共建单位年度指标 and 挂钩联系困难群众 (services/indicator_views.py, services/indicator_admin.py)
@_demand_world("hardship_link")
def _hardship_link(w):
    from services.hardship import link_household

    return link_household(
        by=w.community_staff, organization=w.unit, community=w.community, household_name="张阿婆",
        address="道前街 8 号", situation="独居高龄老人", started_on=dt.date(2025, 3, 1),
    )  # fmt: skip


def _household(w):
    return {
        "organization": str(w.unit.pk), "household_name": "李大伯", "address": "道前街 10 号",
        "phone": "13812345678", "situation": "因病致困", "started_on": "2025-03-01",
    }  # fmt: skip


ENDPOINTS += [
    Endpoint(
        "hardship link page",
        "community_staff",
        lambda w: reverse("services:hardship-links"),
        lambda w: reverse("services:hardship-links"),
        _household,
    ),
    Endpoint(
        "hardship link end",
        "community_staff",
        lambda w: reverse("services:hardship-link-end", args=[w.hardship_link.pk]),
        lambda w: reverse("services:hardship-links"),
        edits=lambda w: w.hardship_link,
    ),
    admin_add(model("services.HardshipLink"), lambda w: {**_household(w), "community": str(w.community.pk)}),
    admin_add(
        model("services.CobuildingAgreement"),
        lambda w: {
            "organization": str(w.unit.pk),
            "street": str(w.town.pk),
            "year": "2025",
            "signed_on": "2025-01-10",
        },
    ),
    admin_change(
        model("services.Indicator"), lambda w: model("services.Indicator").objects.get(code="party-lecture")
    ),
]
