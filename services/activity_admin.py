"""Activities and sign-ups in the admin, scoped to the staff's area; every write goes through activities.py.

Adding an activity publishes it (`publish_activity`: the room is booked in the same transaction); a
change edits only what `update_activity` allows (title, description, points rule, cover: time, room and
places stay, as on the pages); cancelling and confirming attendance are actions running the same
operations as the activity's page. Sign-ups are read here and withdrawn by an action, never edited:
their status and the activity's places move together in `sign_up` / `cancel_signup`.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from members.models import PointRule
from sites.admin_paging import CappedCountPaginator
from sites.admin_scoping import AreaScopedAdmin, WritePathAdmin

from . import activities as operations
from .booking import BookingConflict
from .models import Activity, Signup

REFUSALS = (ValidationError, PermissionDenied, operations.ActivityClosed, BookingConflict)
PUBLISH_FIELDS = [
    "site", "venue", "title", "description", "kind", "start", "end", "capacity", "eligibility",
    "organization", "point_rule", "cover",
]  # fmt: skip


def _reason(error):
    return "；".join(getattr(error, "messages", None) or [str(error)])


def _run(modeladmin, request, objects, operation, done_label):
    """Apply `operation` to each row in its own transaction; each refusal becomes a message."""
    done = 0
    for obj in objects:
        try:
            operation(obj)
            done += 1
        except REFUSALS as error:
            modeladmin.message_user(request, f"{obj}：{_reason(error)}", messages.ERROR)
    if done:
        modeladmin.message_user(request, done_label.format(done), messages.SUCCESS)


@admin.register(Activity)
class ActivityAdmin(WritePathAdmin, AreaScopedAdmin):
    refusals = REFUSALS
    list_display = ["title", "site", "span_label", "kind", "places", "status", "attendance_confirmed_at"]
    list_filter = ["status", "kind", ("start", admin.DateFieldListFilter)]
    list_select_related = ["site", "venue"]
    search_fields = ["title", "site__name"]
    raw_id_fields = ["site", "venue", "organization", "point_rule"]
    fields = [*PUBLISH_FIELDS, "organizer", "booking", "places_taken", "attendance_confirmed_at"]
    actions = ["cancel", "confirm_attendance"]
    ordering = ["-start"]
    paginator = CappedCountPaginator

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A rule set for the city or the district applies to a community's activities too, though it
        # lies outside the community staff's own area: offer the rules above them as well as their own.
        user = request.user
        if db_field.name == "point_rule" and not user.is_superuser and user.area_id:
            rules = PointRule.objects.all()
            kwargs["queryset"] = rules.visible_to(user) | rules.applicable_to(user.area)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        always = ["organizer", "booking", "places_taken", "attendance_confirmed_at"]
        if obj is None:
            return always
        return always + [f for f in PUBLISH_FIELDS if f not in operations.EDITABLE_FIELDS]

    def get_fields(self, request, obj=None):
        return PUBLISH_FIELDS if obj is None else self.fields

    @admin.display(description="时间", ordering="start")
    def span_label(self, activity):
        return activity.span_label

    @admin.display(description="已报名 / 名额")
    def places(self, activity):
        return f"{activity.places_taken} / {activity.capacity}"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in operations.EDITABLE_FIELDS}
            if changes:
                self.adopt(obj, operations.update_activity(activity=obj, by=request.user, **changes))
            return
        published = operations.publish_activity(
            by=request.user, **{name: data[name] for name in PUBLISH_FIELDS if name in data}
        )
        self.adopt(obj, published)

    def has_delete_permission(self, request, obj=None):
        return False  # an activity is cancelled (its sign-ups are told), never deleted

    @admin.action(description="取消所选活动（同时取消活动室预约并通知报名人）")
    def cancel(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("site__area", "booking"),
            lambda a: operations.cancel_activity(activity=a, by=request.user),
            "已取消 {} 场活动。",
        )

    @admin.action(description="按扫码签到确认所选活动的出勤并发放积分")
    def confirm_attendance(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("site__area"),
            lambda a: operations.confirm_attendance(activity=a, by=request.user),
            "已确认 {} 场活动的出勤。",
        )


@admin.register(Signup)
class SignupAdmin(AreaScopedAdmin):
    list_display = ["user", "activity", "status", "created_at", "checked_in_at"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["user", "activity"]
    search_fields = ["activity__title", "user__username", "user__last_name"]
    raw_id_fields = ["activity", "user", "checked_in_by"]
    readonly_fields = [f.name for f in Signup._meta.fields]
    actions = ["withdraw"]
    ordering = ["-created_at"]
    paginator = CappedCountPaginator

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # viewing only: a sign-up moves through the action below

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="取消所选报名（名额顺延给候补第一位）")
    def withdraw(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("activity", "user"),
            lambda s: operations.cancel_signup(activity=s.activity, user=s.user),
            "已取消 {} 条报名。",
        )
