"""Activities (活动报名): publish, cancel, sign up with a waitlist, cancel a sign-up. The one write path.

Every sign-up and cancellation of one activity first locks the activity's row, so they run one after
another per activity: the counter `places_taken` is read and written under the lock, a sign-up finds
the place free or joins the queue, and a cancellation sees every queued sign-up committed before it
and promotes exactly the first. (A conditional UPDATE alone would not do: a cancellation could miss a
sign-up being queued at that moment and leave a free place with people waiting.) Different activities
never wait on each other. The CHECK on the counter and `services.reconcile` catch any path that forgets.
"""

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Member, PointRule
from members.notify import notify
from members.points import earn_under_rule

from .activity_models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Eligibility,
    Signup,
    SignupStatus,
)
from .booking import book_venue, cancel_booking
from .models import BookingStatus, Purpose

# The booking of an activity's room records what it is for in the booking's own terms.
PURPOSE_OF_KIND = {
    ActivityKind.THREE_MEETINGS: Purpose.THREE_MEETINGS,
    ActivityKind.PARTY_DAY: Purpose.PARTY_DAY,
    ActivityKind.VOLUNTEER: Purpose.VOLUNTEER,
    ActivityKind.CULTURE: Purpose.RESIDENTS,
    ActivityKind.COUNCIL: Purpose.RESIDENTS,
    ActivityKind.LECTURE: Purpose.TRAINING,
    ActivityKind.OTHER: Purpose.OTHER,
}


# Check-in opens this long before the start (people arrive early) and closes at the end.
CHECK_IN_OPENS = dt.timedelta(minutes=30)


class ActivityClosed(Exception):
    """The activity takes no (more) sign-ups: cancelled, started, or not for this person. A 409."""


def publish_activity(
    *,
    by,
    site,
    venue=None,
    title,
    description="",
    kind,
    start,
    end,
    capacity,
    eligibility=Eligibility.ANYONE,
    organization=None,
    contact_phone="",
    point_rule=None,
    cover=None,
):
    """Publish an activity at `site`: in `venue` (booked for it now, by `by`) or outdoors (`venue` None).

    In a room, whoever may book the room may publish (they become the booking's organiser); outdoors only
    the site's area staff. Raises ValidationError, PermissionDenied or BookingConflict; writes nothing then.
    """
    if venue is None and not by.can_manage(site.area):
        raise PermissionDenied("户外活动只能由该阵地所在区域的工作人员发布；在活动室举办请选择活动室。")
    if venue is not None and venue.site_id != site.pk:
        raise ValidationError({"venue": "所选活动室不属于该阵地。"})
    if eligibility == Eligibility.ORGANIZATION and organization is None:
        raise ValidationError({"organization": "报名范围为“指定党组织的党员”时，请选择党组织。"})
    if eligibility != Eligibility.ORGANIZATION:
        organization = None
    _check_point_rule(point_rule, site, start)
    activity = Activity(
        site=site, venue=venue, organizer=by, title=title, description=description, kind=kind,
        start=start, end=end, capacity=capacity, eligibility=eligibility, organization=organization,
        point_rule=point_rule, cover=cover or "",
    )  # fmt: skip
    activity.full_clean(exclude=["site", "venue", "organizer", "booking", "organization", "point_rule"])
    if venue is None and start < timezone.now():
        raise ValidationError("不能发布已经开始的活动。")
    with transaction.atomic():
        if venue is not None:
            activity.booking = book_venue(
                venue=venue, organizer=by, start=start, end=end, title=title, purpose=PURPOSE_OF_KIND[kind],
                attendees=min(capacity, venue.capacity), contact_phone=contact_phone or by.phone,
                organization=by.organization if by.organization_id else None,
                group_name="" if by.organization_id else str(site),
            )  # fmt: skip
        activity.save()
    return activity


def _check_point_rule(rule, site, start):
    """The points rule must be one the site's volunteers may earn under on the activity's day."""
    if rule is None:
        return
    day = timezone.localdate(start)
    if not PointRule.objects.applicable_to(site.area).in_force(day).filter(pk=rule.pk).exists():
        raise ValidationError(
            {"point_rule": f"“{rule.name}”在 {day:%Y-%m-%d} 不适用于{site.name}，请选择当时有效的积分标准。"}
        )


# What the organiser may change once it is published; time, room and places stay (cancel and publish anew).
EDITABLE_FIELDS = ["title", "description", "point_rule", "cover"]


def update_activity(*, activity, by, **changes):
    """Change the title, description, points rule or cover of an activity not yet confirmed."""
    if not may_change(activity, by):
        raise PermissionDenied("只有活动发布人或该区域的工作人员可以修改活动。")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"update_activity cannot change {sorted(unknown)}")
    with transaction.atomic():
        locked = (
            Activity.objects.select_for_update(of=("self",)).select_related("site__area").get(pk=activity.pk)
        )
        if "point_rule" in changes and changes["point_rule"] != locked.point_rule:
            if locked.attendance_confirmed:
                raise ValidationError({"point_rule": "出勤已确认、积分已发放，不能再更换积分标准。"})
            _check_point_rule(changes["point_rule"], locked.site, locked.start)
        for name, value in changes.items():
            setattr(locked, name, (value or "") if name == "cover" else value)  # a cleared cover is False
        locked.full_clean(exclude=["site", "venue", "organizer", "booking", "organization", "point_rule"])
        locked.save(update_fields=list(changes))
    return locked


def may_change(activity, user):
    return user.is_authenticated and (user.pk == activity.organizer_id or user.can_manage(activity.site.area))


def cancel_activity(*, activity, by):
    """Cancel before the start: its booking is cancelled and everyone signed up or waiting is told."""
    if not may_change(activity, by):
        raise PermissionDenied("只有活动发布人或该区域的工作人员可以取消活动。")
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status == ActivityStatus.CANCELLED:
            raise ValidationError("该活动已经取消。")
        if locked.start <= timezone.now():
            raise ValidationError("活动已经开始或结束，不能取消。")
        if locked.booking_id and locked.booking.status in (BookingStatus.PENDING, BookingStatus.CONFIRMED):
            cancel_booking(booking=locked.booking, by=by)
        locked.status, locked.cancelled_at = ActivityStatus.CANCELLED, timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        for signup in locked.signups.live().select_related("user"):
            _tell(signup, locked, "activity_cancelled", "活动已取消")
    activity.status, activity.cancelled_at = locked.status, locked.cancelled_at
    return activity


def eligibility_problem(activity, user):
    """Why `user` may not sign up for `activity` (a Chinese message), or '' when they may."""
    if not user.is_authenticated:
        return "请先登录后再报名。"
    if activity.status == ActivityStatus.CANCELLED:
        return "该活动已取消，不能报名。"
    if activity.start <= timezone.now():
        return "活动已经开始，报名已截止。"
    if activity.eligibility == Eligibility.PARTY_MEMBERS:
        if not Member.objects.filter(user=user).exists():
            return "该活动仅限党员报名；如您是党员，请联系所在党组织关联账号。"
    elif activity.eligibility == Eligibility.ORGANIZATION:
        mine = Member.objects.filter(user=user).values_list("organization_id", "group_id").first() or ()
        if activity.organization_id not in mine:
            return f"该活动仅限“{activity.organization}”的党员报名。"
    return ""


def sign_up(*, activity, user):
    """Sign `user` up: a place while any is left, else the waitlist. Returns the Signup.

    Raises ActivityClosed (not open to them) or ValidationError (already signed up).
    """
    with transaction.atomic():
        locked = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=activity.pk)
        )
        problem = eligibility_problem(locked, user)
        if problem:
            raise ActivityClosed(problem)
        has_place = locked.places_taken < locked.capacity
        try:
            with transaction.atomic():
                signup = Signup.objects.create(
                    activity=locked, user=user,
                    status=SignupStatus.SIGNED_UP if has_place else SignupStatus.WAITLISTED,
                )  # fmt: skip
        except IntegrityError as error:
            raise ValidationError("您已报名该活动，无需重复报名。") from error
        if has_place:
            locked.places_taken += 1
            locked.save(update_fields=["places_taken"])
    activity.places_taken = locked.places_taken
    return signup


def cancel_signup(*, activity, user):
    """Withdraw `user`'s live sign-up; a place it freed goes to the first on the waitlist, who is told.

    Returns (the cancelled Signup, the promoted Signup or None).
    """
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status == ActivityStatus.CANCELLED:
            raise ActivityClosed("该活动已取消，无需取消报名。")
        if locked.start <= timezone.now():
            raise ActivityClosed("活动已经开始，不能取消报名。")
        signup = locked.signups.live().filter(user=user).first()
        if signup is None:
            raise ValidationError("您没有报名该活动。")
        held_place = signup.status == SignupStatus.SIGNED_UP
        signup.status, signup.cancelled_at = SignupStatus.CANCELLED, timezone.now()
        signup.save(update_fields=["status", "cancelled_at"])
        promoted = None
        if held_place:
            promoted = locked.signups.waitlist().select_related("user").first()
            if promoted:
                promoted.status = SignupStatus.SIGNED_UP
                promoted.save(update_fields=["status"])
                _tell(promoted, locked, "activity_promoted", "候补成功，您已报名")
            else:
                locked.places_taken -= 1
                locked.save(update_fields=["places_taken"])
    activity.places_taken = locked.places_taken
    return signup, promoted


def check_in_problem(activity, now):
    """Why nobody can check in to `activity` at `now` (a Chinese message), or '' while check-in is open."""
    opens = activity.start - CHECK_IN_OPENS
    if activity.status == ActivityStatus.CANCELLED:
        return "该活动已取消。"
    if activity.attendance_confirmed:
        return "组织者已确认出勤，签到已关闭；如有遗漏请联系组织者。"
    if now < opens:
        return f"签到将于 {timezone.localtime(opens):%Y-%m-%d %H:%M} 开始（活动开始前 30 分钟）。"
    if now > activity.end:
        return "活动已结束，签到已关闭。"
    return ""


def check_in(*, activity, user):
    """Record that `user`, signed up with a place, came: once (a second check-in changes nothing).

    Returns (the Signup, whether this call checked them in). Raises ActivityClosed otherwise.
    """
    now = timezone.now()
    problem = check_in_problem(activity, now)
    if problem:
        raise ActivityClosed(problem)
    signup = activity.signups.live().filter(user=user).first()
    if signup is None:
        raise ActivityClosed("您没有报名该活动，不能签到；请联系活动组织者。")
    if signup.status == SignupStatus.WAITLISTED:
        raise ActivityClosed("您在候补名单中，尚未获得名额，不能签到。")
    # The conditional UPDATE keeps the first time when the page is submitted twice.
    first = Signup.objects.filter(pk=signup.pk, checked_in_at__isnull=True).update(checked_in_at=now)
    signup.refresh_from_db(fields=["checked_in_at"])
    return signup, bool(first)


def points_for_attending(activity):
    """What attending is worth under the activity's rule: by the hour when the rule counts hours (whole
    points, rounded down, as for a service record), else one unit per activity; 0 without a rule."""
    rule = activity.point_rule
    if rule is None:
        return 0
    units = Decimal(1)
    if rule.unit == "小时":
        units = Decimal((activity.end - activity.start).total_seconds()) / 3600
    return int((units * rule.points_per_unit).to_integral_value(rounding=ROUND_FLOOR))


def attendance_source(signup):
    """The ledger `source` of the points for one sign-up: unique, so they are posted once."""
    return f"activity:{signup.pk}"


def confirm_attendance(*, activity, by, attended=None):
    """确认出勤, once, after the start: who checked in (corrected by `attended`, the pks of the sign-ups
    who came, when given) earns the activity's points through the ledger, each told so.

    Credit follows the check-in, never the sign-up: a person the organiser adds gets a check-in recorded
    by them (`checked_in_by`), one they remove loses theirs. Returns the checked-in sign-ups. Raises
    PermissionDenied, ActivityClosed (cancelled, not begun, already confirmed) or ValidationError.
    """
    if not may_change(activity, by):
        raise PermissionDenied("只有活动发布人或该区域的工作人员可以确认出勤。")
    with transaction.atomic():
        locked = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("point_rule", "site")
            .get(pk=activity.pk)
        )
        now = timezone.now()
        if locked.status == ActivityStatus.CANCELLED:
            raise ActivityClosed("该活动已取消，无需确认出勤。")
        if now < locked.start:
            raise ActivityClosed("活动开始后才能确认出勤。")
        if locked.attendance_confirmed:
            raise ActivityClosed(
                f"出勤已于 {timezone.localtime(locked.attendance_confirmed_at):%Y-%m-%d %H:%M} 确认，"
                "积分已发放，不能重复确认。"
            )
        # Volunteers' rows are updated in one order (their pk) so two confirmations never deadlock.
        signups = list(
            locked.signups.filter(status=SignupStatus.SIGNED_UP)
            .select_related("user__volunteer")
            .order_by("user__volunteer__pk", "pk")
        )
        if attended is not None:
            _correct_check_ins(signups, set(attended), by=by, now=now)
        came = [s for s in signups if s.checked_in_at]
        worth = points_for_attending(locked)
        on = timezone.localdate(locked.start)
        for signup in came:
            volunteer = getattr(signup.user, "volunteer", None)
            if not (worth and volunteer):
                continue
            # The same earn as a verified service: within the rule's monthly cap, by the activity's day.
            points = earn_under_rule(
                volunteer=volunteer, rule=locked.point_rule, points=worth, on=on,
                source=attendance_source(signup), by=by, note=locked.title[:200],
            )  # fmt: skip
            if points:
                notify(
                    recipient=signup.user,
                    template="activity_points",
                    context={"title": locked.title, "span": locked.span_label, "points": points},
                    key=f"signup:{signup.pk}:activity_points",
                )
        locked.attendance_confirmed_at, locked.attendance_confirmed_by = now, by
        locked.save(update_fields=["attendance_confirmed_at", "attendance_confirmed_by"])
    activity.attendance_confirmed_at = locked.attendance_confirmed_at
    activity.attendance_confirmed_by = by
    return came


def _correct_check_ins(signups, attended, *, by, now):
    unknown = attended - {s.pk for s in signups}
    if unknown:
        raise ValidationError("所选人员不在该活动的报名名单中，请刷新页面后重新勾选。")
    changed = []
    for signup in signups:
        if (signup.pk in attended) != bool(signup.checked_in_at):
            came = signup.pk in attended
            signup.checked_in_at, signup.checked_in_by = (now, by) if came else (None, None)
            changed.append(signup)
    Signup.objects.bulk_update(changed, ["checked_in_at", "checked_in_by"])


def _tell(signup, activity, template, notice):
    notify(
        recipient=signup.user,
        template=template,
        context={
            "title": activity.title,
            "place": activity.place_label,
            "span": activity.span_label,
            "notice": notice,
        },
        key=f"signup:{signup.pk}:{template}",
    )
