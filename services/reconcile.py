"""Checks for `manage.py reconcile`: an activity's places taken = sign-ups holding a place; a demand's
state and reopen count = what its transitions replay to."""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from sites.reconcile import Difference, register

from .activity_models import Activity, SignupStatus
from .demand_models import Demand, DemandStatus, DemandTransition


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


@register("services.demand_timeline", label="诉求状态与流转记录")
def demand_timeline():
    """A demand's status and reopen count equal what replaying its transitions gives: the last
    transition's new state, and the number of moves from 已办结 back to 已派单 (one query)."""
    transitions = DemandTransition.objects.filter(demand=OuterRef("pk"))
    reopens = (
        transitions.filter(from_status=DemandStatus.RESOLVED, to_status=DemandStatus.DISPATCHED)
        .order_by()
        .values("demand")
        .annotate(n=Count("pk"))
        .values("n")
    )
    demands = (
        Demand.objects.annotate(
            replayed=Subquery(transitions.order_by("-pk").values("to_status")[:1]),
            reopens=Coalesce(Subquery(reopens), 0),
        )
        .filter(~Q(status=F("replayed")) | Q(replayed__isnull=True) | ~Q(reopen_count=F("reopens")))
        .only("pk", "title", "status", "reopen_count")
    )
    for d in demands:
        if d.status != d.replayed:
            yield Difference(
                record=f"诉求“{d.title}”（#{d.pk}）", counter="状态", stored=d.status, computed=d.replayed
            )
        else:
            yield Difference(
                record=f"诉求“{d.title}”（#{d.pk}）",
                counter="重新办理次数",
                stored=d.reopen_count,
                computed=d.reopens,
            )
