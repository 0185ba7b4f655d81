"""Excel export of an area's compliance list. It names each organisation's secretary, so, like the roster
export (members/roster_export.py), every export is written to the personal-data access log first."""

import io

from openpyxl import Workbook

from . import roster
from .models import AccessKind
from .roster_export import CONTENT_TYPE, _bold

COLUMNS = [
    "所在区域",
    "党组织",
    "类型",
    "书记",
    "组织生活",
    "未按期召开",
    "本期待召开",
    "届次",
    "届满日期",
    "换届",
]
WIDTHS = [16, 30, 8, 10, 12, 40, 24, 8, 12, 14]

__all__ = ["CONTENT_TYPE", "export"]


def _rules(rules):
    return "；".join(f"{r.meeting_label}（{'、'.join(r.missed) or r.frequency_label}）" for r in rules)


def export(*, user, rows, area, year):
    """The .xlsx bytes of `rows` (compliance.area_list's, already scoped to `area`), logged."""
    roster.log_access(
        user=user, kind=AccessKind.EXPORT, what=f"组织生活落实情况导出（{area.name}，{year} 年）",
        filters={"area": area.pk, "year": year}, count=len(rows),
    )  # fmt: skip
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{year}年组织生活")
    for column, width in zip("ABCDEFGHIJ", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([_bold(sheet, c) for c in COLUMNS])
    for row in rows:
        organization, term = row.organization, row.term
        sheet.append(
            [
                organization.area.name,
                organization.name,
                organization.get_kind_display(),
                organization.secretary,
                row.result.state_label,
                _rules(row.result.behind),
                _rules(row.result.due_soon),
                term.number if term else "",
                term.due_on if term else "",
                row.term_label or ("在任" if term else "未登记"),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
