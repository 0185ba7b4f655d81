"""Accounts: the User (its role and the area a staff member is scoped to), and who may see a phone."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from sites.history import StaffEditHistory
from sites.models import Area, AreaLevel
from sites.scoping import AreaScopedQuerySet

phone_validator = RegexValidator(
    r"^[0-9+\-() ]{5,20}$", "请填写有效的电话号码，如 13812345678 或 0512-65223456。"
)


def mask_phone(phone):
    """138****5678: enough to recognise a number, not enough to call it."""
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def may_see_phone(viewer, *, owner_id=None, area=None):
    """Whether `viewer` may read a phone number in full; everyone else sees mask_phone's.

    The one rule for every screen: the person the number belongs to (`owner_id`: the account itself, a
    booking's organiser), superusers, and, for a number given for something in an area (a booking's
    contact phone, `area`: the room's), staff who manage that area. An account's own number and a
    party organisation's secretary's are given for no area: only the person and superusers read them;
    other staff see them masked and may type a new one.
    """
    if viewer.pk is not None and viewer.pk == owner_id:
        return True
    path = getattr(viewer, "scope_path", None)
    return path == "" or (path is not None and area is not None and area.path.startswith(path))


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区级管理员"
    STREET_STAFF = "street_staff", "街道工作人员"
    COMMUNITY_STAFF = "community_staff", "社区工作人员"
    ORGANIZER = "organizer", "活动组织者"
    VOLUNTEER = "volunteer", "志愿者"
    MEMBER = "member", "党员"
    RESIDENT = "resident", "居民"


# Which area level each staff role is scoped to.
ROLE_AREA_LEVEL = {
    Role.DISTRICT_ADMIN: AreaLevel.DISTRICT,
    Role.STREET_STAFF: AreaLevel.TOWN,
    Role.COMMUNITY_STAFF: AreaLevel.COMMUNITY,
}


class UserQuerySet(AreaScopedQuerySet):
    def visible_to(self, user):
        """Staff see the accounts scoped within their area, and organisers whose organisation lies there;
        only superusers see superusers and organisers of no organisation."""
        path = getattr(user, "scope_path", None)
        if path is None:
            return self.none()
        if path == "":
            return self.all()
        return self.filter(
            Q(area__path__startswith=path) | Q(area__isnull=True, organization__area__path__startswith=path),
            is_superuser=False,
        )


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.ORGANIZER)
    area = models.ForeignKey(
        Area,
        verbose_name="负责区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="工作人员只能查看和编辑此区域及其下级的数据。",
    )
    phone = models.CharField("手机号", max_length=20, blank=True, validators=[phone_validator])
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )

    objects = ScopedUserManager()
    # Never the password hash in a readable history; last_login is the login's, not an edit.
    history = StaffEditHistory(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                name="user_staff_role_has_area",
                condition=Q(role__in=[Role.ORGANIZER, Role.VOLUNTEER, Role.MEMBER, Role.RESIDENT])
                | Q(area__isnull=False)
                | Q(is_superuser=True),
                violation_error_message="工作人员必须指定负责区域。",
            ),
        ]

    def __str__(self):
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username

    def get_short_name(self):
        """The admin's "欢迎，…" and the pages greet the person by name (Chinese order), not the login."""
        return str(self)

    def clean(self):
        super().clean()
        if not self.is_superuser:
            # Admin access follows the role: staff roles use the admin, organisers book from the map.
            self.is_staff = self.role in ROLE_AREA_LEVEL
        if self.role == Role.ORGANIZER and not self.is_superuser and not self.organization_id:
            # Organisers book rooms for an organisation; it also places them in an area for staff to see.
            raise ValidationError({"organization": "活动组织者须选择所属组织。"})
        level = ROLE_AREA_LEVEL.get(self.role)
        if level and not self.is_superuser:
            if not self.area_id:
                raise ValidationError({"area": "工作人员必须指定负责区域。"})
            if self.area.level != level:
                raise ValidationError(
                    {"area": f"{self.get_role_display()}的负责区域应为{AreaLevel(level).label}。"}
                )

    # Who may act where: the project's one permission vocabulary. Every app, the admin, the templates'
    # navigation and the API ask these (or scope_path, for queries) instead of testing paths or roles.

    @property
    def scope_path(self):
        """The area path prefix this user may see: '' for everything, None for nothing.

        Every `visible_to(user)` in the project reads this, so scoping has one definition.
        """
        if not self.is_active:
            return None
        if self.is_superuser:
            return ""
        if self.role in ROLE_AREA_LEVEL and self.area_id:
            return self.area.path
        return None

    @property
    def is_area_staff(self):
        """May use the staff pages and the admin: an active superuser, or staff with an area."""
        return self.can_manage()

    def can_manage(self, area=None):
        """Whether this user manages `area`: it lies within their scope. Without an area: whether they
        manage any area at all (a staff member's pages and the admin)."""
        path = self.scope_path
        if path is None:
            return False
        return area is None or area.path.startswith(path)

    def acts_as(self, role, area=None):
        """Whether this user may take `role`'s part (a Role) in `area` (anywhere, without one): staff
        of that role whose scope holds the area. Superusers may take any part anywhere, so an
        administrator can unblock work."""
        return self.can_manage(area) and (self.is_superuser or self.role == role)

    def acts_as_any(self, roles, area=None):
        return any(self.acts_as(role, area) for role in roles)

    def keeps_records_of(self, organization):
        """Whether this user records `organization`'s 组织生活 (meetings, attendance): staff of its area,
        or its secretary: an organiser account of the organisation itself or of the branch a 党小组
        belongs to (no role of its own: an organiser is already the account that acts for a branch)."""
        if self.can_manage(organization.area):
            return True
        return (
            self.is_active
            and self.role == Role.ORGANIZER
            and self.organization_id is not None
            and self.organization_id in (organization.pk, organization.parent_id)
        )

    @property
    def masked_phone(self):
        return mask_phone(self.phone)
