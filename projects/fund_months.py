"""The 为民服务专项经费 of an area's subtree month by month, from the fund ledger (the area dashboard's
经费 section): one query. A ledger row counts in the month it was written, for the funds of the year."""

from django.db.models import Q

from sites.monthly import Measure, monthly

from .models import FundLedgerEntry, LedgerKind

MEASURES = [
    Measure(
        "committed",
        "核拨",
        "当月写入经费流水的“核拨”金额之和（本年度各社区专项经费），即项目预算占用经费。",
        "元",
        "at",
        where=Q(kind=LedgerKind.COMMIT),
        total="amount",
    ),
    Measure(
        "released",
        "结余退回",
        "当月项目结余退回经费的金额之和（“结余退回”流水），已核拨减去它才是实际占用。",
        "元",
        "at",
        where=Q(kind=LedgerKind.RELEASE),
        total="amount",
    ),
    Measure(
        "spent",
        "支出",
        "当月经审核通过的项目支出金额之和（“支出”流水）。",
        "元",
        "at",
        where=Q(kind=LedgerKind.EXPENSE),
        total="amount",
    ),
]


def fund_months(area, year):
    """[Series] 核拨, 结余退回, 支出 of `year`'s community funds in `area`'s subtree."""
    return monthly(FundLedgerEntry.objects.within(area).filter(fund__year=year), year, MEASURES)
