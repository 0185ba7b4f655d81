"""The main pages a person sees, with data to fill them: tests/test_csp.py checks each answers with a
Content-Security-Policy, and tests/browser/test_csp.py opens each in Chromium and watches for violations."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse

from members import roster
from members.models import Role
from projects.models import Status
from services.models import BookingStatus
from tests.factories import (
    BookingFactory,
    CommitteeTermFactory,
    CommunityFactory,
    CommunityFundFactory,
    DistrictFactory,
    GridFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    ProjectFactory,
    SiteFactory,
    StaffFactory,
    TownFactory,
    UserFactory,
    VenueFactory,
    VenueRulesFactory,
)


@dataclass
class Page:
    name: str
    url: str
    who: str  # "anonymous", "staff" (community staff) or "superuser"


def build():
    """Data for every page below; returns the pages and the users by `who`."""
    district = DistrictFactory(name="姑苏区")
    town = TownFactory(name="双塔街道", parent=district)
    community = CommunityFactory(name="道前社区", parent=town)
    site = SiteFactory(name="道前社区党群服务站", area=community)
    venue = VenueFactory(site=site, name="多功能活动室")
    VenueRulesFactory(venue=venue, needs_approval=True)
    staff = StaffFactory(role=Role.COMMUNITY_STAFF, area=community, last_name="王", first_name="小红")
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    BookingFactory(venue=venue, organizer=staff, status=BookingStatus.PENDING)
    CommunityFundFactory(
        community=community, year=2025, committed=Decimal("50000.00"), spent=Decimal("20000.00")
    )
    project = ProjectFactory(community=community, year=2025, title="博士阳光讲坛", status=Status.PUBLISHED)
    member = MemberFactory(
        organization=OrganizationFactory(area=community), name="周建华", phone="13912345678"
    )
    reporting = roster.report_to_community(
        member=member,
        by=staff,
        community=community,
        grid=GridFactory(parent=community),
        since=date(2025, 1, 1),
    )
    branch = member.organization
    meeting = MeetingFactory(organization=branch, topic="学习党章")
    CommitteeTermFactory(organization=branch, elected_on=date(2020, 6, 1))
    pages = [
        Page("map", reverse("sites:home"), "anonymous"),
        Page("site-list", reverse("sites:site-list"), "anonymous"),
        Page("site", reverse("sites:site-detail", args=[site.pk]), "anonymous"),
        Page("areas", reverse("sites:area-index"), "anonymous"),
        Page("area", reverse("sites:area-detail", args=[district.pk]), "anonymous"),
        Page("room-week", reverse("services:room-detail", args=[venue.pk]), "anonymous"),
        Page("free-rooms", reverse("services:free-rooms"), "anonymous"),
        Page("login", reverse("login"), "anonymous"),
        Page("password-reset", reverse("password_reset"), "anonymous"),
        Page("booking-form", reverse("services:book", args=[venue.pk]), "staff"),
        Page("my-bookings", reverse("services:my-bookings"), "staff"),
        Page("review-queue", reverse("services:review-queue"), "staff"),
        Page("projects", reverse("projects:project-list"), "staff"),
        Page("project", reverse("projects:project-detail", args=[project.pk]), "staff"),
        Page("project-new", reverse("projects:project-create"), "staff"),
        Page("dashboard", reverse("projects:dashboard"), "staff"),
        Page("area-dashboard", reverse("projects:area-dashboard", args=[community.pk]), "staff"),
        Page("gongshi", reverse("projects:gongshi-index") + "?year=2025", "anonymous"),
        Page("gongshi-area", reverse("projects:gongshi-area", args=[town.pk]), "anonymous"),
        Page("gongshi-year", reverse("projects:gongshi-community", args=[community.pk, 2025]), "anonymous"),
        Page("showcase", reverse("projects:showcase"), "anonymous"),
        Page("admin", reverse("admin:index"), "superuser"),
        Page("admin-sites", reverse("admin:sites_site_changelist"), "superuser"),
        Page("admin-site", reverse("admin:sites_site_change", args=[site.pk]), "superuser"),
        Page("admin-bookings", reverse("admin:services_booking_changelist"), "superuser"),
        Page("admin-areas", reverse("admin:sites_area_changelist"), "superuser"),
        Page("admin-projects", reverse("admin:projects_project_changelist"), "superuser"),
        Page("admin-project", reverse("admin:projects_project_change", args=[project.pk]), "superuser"),
        Page("admin-users", reverse("admin:members_user_changelist"), "superuser"),
        Page("admin-user", reverse("admin:members_user_change", args=[staff.pk]), "superuser"),
        Page("members", reverse("members:member-list"), "staff"),
        Page("member-reporting", reverse("members:reporting-list"), "staff"),
        Page("admin-members", reverse("admin:members_member_changelist"), "superuser"),
        Page("admin-member", reverse("admin:members_member_change", args=[member.pk]), "superuser"),
        Page("admin-member-import", reverse("admin:members_member_import"), "superuser"),
        Page(
            "admin-reporting",
            reverse("admin:members_communityreporting_change", args=[reporting.pk]),
            "superuser",
        ),
        Page("admin-access-log", reverse("admin:members_personaldataaccess_changelist"), "superuser"),
        Page("admin-lockouts", reverse("admin:axes_accessattempt_changelist"), "superuser"),
        Page("organization-life", reverse("members:organization-life", args=[branch.pk]), "staff"),
        Page("meeting-record", reverse("members:meeting-record", args=[branch.pk]), "staff"),
        Page("meeting-plan", reverse("members:meeting-plan", args=[branch.pk]), "staff"),
        Page("meeting", reverse("members:meeting-detail", args=[meeting.pk]), "staff"),
        Page("compliance", reverse("members:compliance-list"), "staff"),
        Page("admin-compliance", reverse("admin:members_meeting_compliance"), "superuser"),
        Page("cobuilding-indicators", reverse("services:indicator-board"), "superuser"),
        Page("hardship-links", reverse("services:hardship-links"), "staff"),
        Page("api-docs", reverse("api-docs"), "anonymous"),
        # DRF's browsable API: the one kind of page allowed inline styles (config/renderers.py).
        Page("api-browsable", reverse("services:api-bookings"), "staff"),
    ]
    return pages, {"anonymous": None, "staff": staff, "superuser": superuser}
