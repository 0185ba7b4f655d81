"""The registry of `manage.py reconcile`: every stored counter, recomputed from the rows it sums.

DESIGN.md section 4: a counter (a fund's committed, a project's spent, a points balance, a claimed
quantity) always equals what its ledger adds up to. Each app that keeps a counter registers a check in
its own `<app>/reconcile.py`; the command imports those modules (as the admin does `admin.py`) and runs
every check. The registry lives in the bottom app so any app can register without importing the one
that holds the command (`projects`).

A check is a function that returns (or yields) one `Difference` per record whose stored value is not
what its rows add up to, and nothing when all agree. It should be one or a few GROUP BY queries, never
a query per record: it runs on the whole city's data.

    # members/reconcile.py
    from django.db.models import Sum
    from sites.reconcile import Difference, register

    @register("members.points_balance", label="志愿者积分余额")
    def points_balance():
        volunteers = Volunteer.objects.annotate(computed=Coalesce(Sum("points_entries__points"), 0))
        for v in volunteers.exclude(points=F("computed")):
            yield Difference(record=f"志愿者“{v}”（#{v.pk}）", counter="积分余额",
                             stored=v.points, computed=v.computed)
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Difference:
    record: str  # which record, as staff would name it: "苏州市道前社区 2025年专项经费（#12）"
    counter: str  # which of its counters: "已核拨（元）"
    stored: object
    computed: object

    def __str__(self):
        return f"{self.record}：{self.counter}记录为 {self.stored}，按明细应为 {self.computed}"


@dataclass(frozen=True)
class Check:
    name: str
    label: str
    function: Callable[[], Iterable[Difference]]

    def run(self):
        return list(self.function())


_checks: dict[str, Check] = {}


def register(name, *, label):
    """Decorator: add `function` to the checks `manage.py reconcile` runs, under a unique `name`."""

    def decorator(function):
        if name in _checks and _checks[name].function is not function:
            raise ValueError(f"reconcile check {name!r} is registered twice")
        _checks[name] = Check(name=name, label=label, function=function)
        return function

    return decorator


def checks():
    """Every registered check, bottom app first (INSTALLED_APPS order)."""
    autodiscover_modules("reconcile")
    return list(_checks.values())
