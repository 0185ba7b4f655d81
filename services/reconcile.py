"""The services' counters and timelines for `manage.py reconcile`: an activity's places taken = sign-ups
holding a place; a need's and a resource's claimed (and a need's fulfilled) = their claims' quantities; a
demand's state and reopen count = what its transitions replay to."""

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from sites.reconcile import Difference, register

from .activity_models import Activity, SignupStatus
from .demand_models import Demand, DemandStatus, DemandTransition
from .list_models import DONE_CLAIM_STATUSES, LIVE_CLAIM_STATUSES, Need, Resource


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


def _sum(status_in):
    return Coalesce(Sum("claims__quantity", filter=Q(claims__status__in=status_in)), 0)


@register("services.need_claimed", label="需求已认领/已完成数量")
def need_claimed():
    """A need's claimed = its live claims' quantities; fulfilled = its completed (and evaluated) ones'."""
    needs = Need.objects.annotate(live=_sum(LIVE_CLAIM_STATUSES), done=_sum(DONE_CLAIM_STATUSES)).exclude(
        claimed=F("live"), fulfilled=F("done")
    )
    for n in needs.select_related("community"):
        record = f"需求“{n.title}”（#{n.pk}）"
        if n.claimed != n.live:
            yield Difference(record=record, counter="已认领数量", stored=n.claimed, computed=n.live)
        if n.fulfilled != n.done:
            yield Difference(record=record, counter="已完成数量", stored=n.fulfilled, computed=n.done)


@register("services.resource_claimed", label="资源已认领数量")
def resource_claimed():
    resources = Resource.objects.annotate(live=_sum(LIVE_CLAIM_STATUSES)).exclude(claimed=F("live"))
    for r in resources:
        yield Difference(
            record=f"资源“{r.title}”（#{r.pk}）", counter="已认领数量", stored=r.claimed, computed=r.live
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
