"""The activities' counter for `manage.py reconcile`: places taken = sign-ups holding a place."""

from django.db.models import Count, F, Q

from sites.reconcile import Difference, register

from .activity_models import Activity, SignupStatus


@register("services.activity_places", label="活动已报名人数")
def activity_places():
    activities = Activity.objects.annotate(
        computed=Count("signups", filter=Q(signups__status=SignupStatus.SIGNED_UP))
    ).exclude(places_taken=F("computed"))
    for a in activities:
        yield Difference(
            record=f"活动“{a.title}”（#{a.pk}）",
            counter="已报名人数",
            stored=a.places_taken,
            computed=a.computed,
        )
