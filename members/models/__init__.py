"""The members app's models, one module per topic; import them from here (`members.models`)."""

from .accounts import (
    ROLE_AREA_LEVEL,
    Role,
    ScopedUserManager,
    User,
    UserQuerySet,
    mask_phone,
    may_see_phone,
    phone_validator,
)
from .membership import (
    AccessKind,
    CommunityReporting,
    CommunityReportingQuerySet,
    Membership,
    MembershipQuerySet,
    PersonalDataAccess,
)
from .notifications import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationQuerySet,
    NotificationStatus,
)
from .organizations import Organization, OrganizationKind, OrganizationQuerySet, Sector
from .people import Gender, Member, MemberQuerySet, MemberStatus, Volunteer, VolunteerQuerySet
from .phone_codes import PhoneCode
from .points import (
    EntryKind,
    MonthlyRanking,
    PointRule,
    PointsEntry,
    RuleCategory,
    ServicePhoto,
    ServiceRecord,
    ServiceStatus,
    mask_name,
)
from .rewards import Nearness, Redemption, RedemptionStatus, Reward

__all__ = [
    "Channel",
    "Notification",
    "NotificationPreference",
    "NotificationQuerySet",
    "NotificationStatus",
    "AccessKind",
    "CommunityReporting",
    "CommunityReportingQuerySet",
    "Membership",
    "MembershipQuerySet",
    "PersonalDataAccess",
    "EntryKind",
    "MonthlyRanking",
    "PhoneCode",
    "PointRule",
    "PointsEntry",
    "Nearness",
    "Redemption",
    "RedemptionStatus",
    "Reward",
    "RuleCategory",
    "ServicePhoto",
    "ServiceRecord",
    "ServiceStatus",
    "mask_name",
    "Gender",
    "Member",
    "MemberQuerySet",
    "MemberStatus",
    "Volunteer",
    "VolunteerQuerySet",
    "ROLE_AREA_LEVEL",
    "Organization",
    "OrganizationKind",
    "OrganizationQuerySet",
    "Role",
    "ScopedUserManager",
    "Sector",
    "User",
    "UserQuerySet",
    "mask_phone",
    "may_see_phone",
    "phone_validator",
]
