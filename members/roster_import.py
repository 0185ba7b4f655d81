"""Import of the 党员名册 from CSV or .xlsx, through the same all-or-nothing framework as areas and sites
(sites.imports.table): every row loads, or none does and each bad row is named by its line.

Columns: name/姓名, id_number/身份证号, status/党员状态, organization/党组织 (required); group/党小组,
gender/性别, phone/手机号, joined_on/入党日期, confirmed_on/转正日期, since/转入日期, workplace/工作单位.

A row is matched to a member already on the roster by the fingerprint of the 身份证号 and then UPDATES
them: blank cells keep what is stored, a different organisation or 党小组 is a 组织关系转接 from the
row's 转入日期 (today when blank), 预备→正式 is a 转正 on the row's 转正日期; 正式→预备 is refused, and so
is a number registered outside the importer's scope (only its organisation can transfer it). Every
write goes through members/roster.py, as the admin's and the API's do.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from sites.imports.table import Column, ImportResult, import_scope, read_table, run_import

from . import roster
from .id_numbers import parse_id_number
from .models import Gender, Member, MemberStatus, Organization, OrganizationKind

COLUMNS = [
    Column("name", ("姓名",), required=True),
    Column("id_number", ("身份证号", "公民身份号码"), required=True),
    Column("status", ("党员状态", "人员类别"), required=True),
    Column("organization", ("党组织", "所在党组织", "组织关系所在党组织"), required=True),
    Column("group", ("党小组",)),
    Column("gender", ("性别",)),
    Column("phone", ("手机号", "联系电话")),
    Column("joined_on", ("入党日期",)),
    Column("confirmed_on", ("转正日期",)),
    Column("since", ("转入日期",)),
    Column("workplace", ("工作单位", "工作单位及职务")),
]

STATUSES = {"预备党员": MemberStatus.PROBATIONARY, "预备": MemberStatus.PROBATIONARY}
STATUSES |= {"正式党员": MemberStatus.FULL, "正式": MemberStatus.FULL}
STATUSES |= {s.value: s for s in MemberStatus}
GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE} | {g.value: g for g in Gender}
FIELD_LABELS = {
    "id_number": "身份证号",
    "organization": "党组织",
    "to": "党组织",
    "group": "党小组",
    "on": "日期",
    "since": "转入日期",
}


def import_members(*, file, filename, user, report=None):
    """Load every row or none, as `user` (staff: only into organisations in their area)."""
    scope = import_scope(user)
    rows = read_table(file, filename, COLUMNS)
    organizations = Organization.objects.visible_to(user).filter(
        name__in={r.get("organization") for r in rows} | {r.get("group") for r in rows}
    )
    by_name = {}
    for org in organizations:
        by_name.setdefault(org.name, []).append(org)
    return run_import(
        rows,
        lambda rows: _check(rows, by_name, scope),
        lambda rows, progress: _write(rows, user, progress),
        report,
    )


def _check(rows, by_name, scope):
    seen = {}
    for row in rows:
        if not row.get("name"):
            row.error("姓名不能为空。")
        try:
            row.parsed = parse_id_number(row.get("id_number"))
        except ValidationError as error:
            row.parsed = None
            row.error(error.messages[0])
        else:
            if row.parsed.fingerprint in seen:
                row.error(f"身份证号与第 {seen[row.parsed.fingerprint]} 行相同。")
            seen.setdefault(row.parsed.fingerprint, row.line)
        row.status = STATUSES.get(row.get("status"))
        if row.status is None:
            row.error(f"党员状态“{row.get('status')}”无法识别，应为 预备党员 或 正式党员。")
        row.gender = GENDERS.get(row.get("gender"), None if row.get("gender") else "")
        if row.gender is None:
            row.error(f"性别“{row.get('gender')}”应填 男 或 女。")
        row.organization = _one(row, by_name, "organization", "党组织", kinds=None)
        row.group = (
            _one(row, by_name, "group", "党小组", kinds={OrganizationKind.GROUP})
            if row.get("group")
            else None
        )
        if row.group and row.organization and row.group.parent_id != row.organization.pk:
            row.error(f"党小组“{row.group.name}”不属于“{row.organization.name}”。")
        for key, label in (("joined_on", "入党日期"), ("confirmed_on", "转正日期"), ("since", "转入日期")):
            setattr(row, key, _date(row, key, label))
    fingerprints = [r.parsed.fingerprint for r in rows if r.parsed]
    existing = Member.objects.filter(id_number_hash__in=fingerprints).select_related("organization__area")
    found = {m.id_number_hash: m for m in existing}
    for row in rows:
        row.member = found.get(row.parsed.fingerprint) if row.parsed else None
        if row.member and scope is not None and not row.member.organization.area.path.startswith(scope):
            row.error("该身份证号的党员已在您管辖范围以外的党组织登记，请联系其所在党组织办理组织关系转接。")
        elif (
            row.member and row.status == MemberStatus.PROBATIONARY and row.member.status == MemberStatus.FULL
        ):
            row.error("该党员已是正式党员，不能改回预备党员。")


def _one(row, by_name, key, label, kinds):
    name = row.get(key)
    if not name:
        row.error(f"{label}不能为空。")
        return None
    matches = [o for o in by_name.get(name, []) if kinds is None or o.kind in kinds]
    if not matches:
        row.error(f"{label}“{name}”不存在或不在您的管辖范围内，请先在“党组织”中登记。")
        return None
    if len(matches) > 1:
        row.error(f"有 {len(matches)} 个名为“{name}”的{label}，请在系统中改名区分后再导入。")
        return None
    return matches[0]


def _date(row, key, label):
    text = row.get(key)
    if not text:
        return None
    try:
        # Excel's date cells arrive as "2021-07-01 00:00:00".
        return dt.date.fromisoformat(text[:10].replace("/", "-").replace(".", "-"))
    except ValueError:
        row.error(f"{label}“{text}”应写成 2021-07-01 这样的日期。")
        return None


def _write(rows, user, progress):
    result = ImportResult()
    today = timezone.localdate()
    for row in rows:
        progress.advance()
        try:
            if row.member is None:
                roster.enrol_member(
                    by=user,
                    name=row.get("name"),
                    id_number=row.get("id_number"),
                    status=row.status,
                    organization=row.organization,
                    group=row.group,
                    since=row.since or today,
                    gender=row.gender,
                    phone=row.get("phone"),
                    joined_on=row.joined_on,
                    confirmed_on=row.confirmed_on,
                    workplace=row.get("workplace"),
                )
                result.created += 1
            else:
                _update(row, user, today)
                result.updated += 1
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = FIELD_LABELS.get(name) or Member._meta.get_field(name).verbose_name
                row.error(f"{label}：{'；'.join(messages)}")
    return result


def _update(row, user, today):
    member = row.member
    values = {"name": row.get("name"), "gender": row.gender, "phone": row.get("phone")}
    values |= {"joined_on": row.joined_on, "workplace": row.get("workplace")}
    roster.edit_member(member=member, by=user, changes={k: v for k, v in values.items() if v})
    if (member.organization_id, member.group_id) != (row.organization.pk, row.group and row.group.pk):
        roster.move_member(
            member=member, by=user, to=row.organization, group=row.group, on=row.since or today
        )
    if row.status == MemberStatus.FULL and member.status == MemberStatus.PROBATIONARY:
        if row.confirmed_on is None:
            raise ValidationError({"confirmed_on": "转为正式党员请填写转正日期。"})
        roster.confirm_member(member=member, by=user, on=row.confirmed_on)
