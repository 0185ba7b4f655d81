"""Export of the roster a staff member may see to Excel: every export is written to the access log first.

The 身份证号 is never in it (only its last four, masked); phone numbers are in full, which is why the
export is a logged disclosure (members.PersonalDataAccess) and the lists on screen show them masked.
"""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import roster
from .models import AccessKind

COLUMNS = [
    "姓名",
    "性别",
    "出生年份",
    "身份证号",
    "党员状态",
    "入党日期",
    "转正日期",
    "党组织",
    "党小组",
    "手机号",
    "工作单位及职务",
]
WIDTHS = [10, 6, 10, 20, 10, 12, 12, 30, 24, 14, 30]


def export_roster(*, user, members, what, filters):
    """The .xlsx bytes of `members` (a queryset already narrowed by visible_to(user)), logged."""
    members = members.select_related("organization", "group").order_by("organization", "name", "pk")
    rows = [
        [
            m.name,
            m.get_gender_display(),
            m.birth_year,
            m.masked_id_number,
            m.get_status_display(),
            m.joined_on,
            m.confirmed_on,
            m.organization.name,
            m.group.name if m.group else "",
            m.phone,
            m.workplace,
        ]
        for m in members.iterator(chunk_size=2000)
    ]
    roster.log_access(user=user, kind=AccessKind.EXPORT, what=what, filters=filters, count=len(rows))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("党员名册")
    for column, width in zip("ABCDEFGHIJK", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([_bold(sheet, c) for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bold(sheet, text):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell


CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
