"""Races on one activity: 200 people sign up for 30 places at once, then 20 of the 30 withdraw at once.

PostgreSQL is the real test (the row lock on the activity orders the transactions). The machine's
PostgreSQL takes 100 connections, shared, so 40 threads released together make the 200 sign-ups, five
each in a row: at every moment 40 transactions contend for the one activity.
"""

import datetime as dt
from collections import Counter

import pytest

from services import activities as ops
from services.models import Activity, Signup, SignupStatus
from services.reconcile import activity_places
from tests.factories import SiteFactory, StaffFactory, UserFactory, local, next_weekday

from .test_concurrency import race

PEOPLE, PLACES, WITHDRAWALS, THREADS = 200, 30, 20, 40


def race_each(work, items):
    """work(item) for every item, from THREADS threads released together; the outcomes counted."""
    per_thread = race(lambda i: tuple(work(item) for item in items[i::THREADS]), THREADS)
    return Counter(outcome for outcomes, n in per_thread.items() for outcome in outcomes * n)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_200_sign_ups_for_30_places_then_20_withdrawals():
    site = SiteFactory()
    start = local(next_weekday(), 9)
    activity = ops.publish_activity(
        by=StaffFactory(area=site.area), site=site, title="志愿服务：社区清洁", kind="volunteer", start=start,
        end=start + dt.timedelta(hours=3), capacity=PLACES,
    )  # fmt: skip
    people = [UserFactory() for _ in range(PEOPLE)]

    outcomes = race_each(lambda person: ops.sign_up(activity=activity, user=person).status, people)
    assert outcomes == {SignupStatus.SIGNED_UP: PLACES, SignupStatus.WAITLISTED: PEOPLE - PLACES}
    assert Activity.objects.get(pk=activity.pk).places_taken == PLACES
    first_waiting = list(Signup.objects.filter(activity=activity).waitlist()[:WITHDRAWALS])

    leaving = list(Signup.objects.filter(activity=activity, status=SignupStatus.SIGNED_UP)[:WITHDRAWALS])
    outcomes = race(
        lambda i: "promoted" if ops.cancel_signup(activity=activity, user=leaving[i].user)[1] else "none",
        WITHDRAWALS,
    )
    assert outcomes == {"promoted": WITHDRAWALS}
    counts = {s: Signup.objects.filter(activity=activity, status=s).count() for s in SignupStatus}
    assert counts == {
        "signed_up": PLACES,
        "waitlisted": PEOPLE - PLACES - WITHDRAWALS,
        "cancelled": WITHDRAWALS,
    }
    # Exactly the first 20 in the queue moved up.
    promoted = set(
        Signup.objects.filter(pk__in=[s.pk for s in first_waiting]).values_list("status", flat=True)
    )
    assert promoted == {SignupStatus.SIGNED_UP}
    assert Activity.objects.get(pk=activity.pk).places_taken == PLACES
    assert list(activity_places()) == []
