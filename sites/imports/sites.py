"""Import of sites: rows matched on (area, name), so a re-import updates and never duplicates.

Columns: name/名称, tier/层级, area_code/区域编码, address/地址, latitude/纬度, longitude/经度 (required);
phone/电话, floor_area/面积, functions/功能 ("政治引领;党群服务"), pioneer_batch/先锋阵地批次,
pioneer_year/命名年份, standard/建设标准, active/启用, opening_hours/开放时间 ("周一至周五 09:00-17:00").
"""

import re

from django.core.exceptions import ValidationError

from ..models import Area, Site, SiteFunction, SiteStandard, SiteTier
from ..opening_hours import OpeningHours, parse_opening_hours_text
from .table import (
    Column,
    ImportResult,
    import_scope,
    parse_decimal,
    read_table,
    run_import,
    validation_messages,
)

COLUMNS = [
    Column("name", ("名称",), required=True),
    Column("tier", ("层级", "类型"), required=True),
    Column("area_code", ("区域编码",), required=True),
    Column("address", ("地址",), required=True),
    Column("latitude", ("纬度",), required=True),
    Column("longitude", ("经度",), required=True),
    Column("phone", ("电话", "联系电话")),
    Column("floor_area", ("面积",)),
    Column("functions", ("功能",)),
    Column("pioneer_batch", ("先锋阵地批次",)),
    Column("pioneer_year", ("命名年份",)),
    Column("standard", ("建设标准",)),
    Column("active", ("启用",)),
    Column("opening_hours", ("开放时间",)),
]


def _words(choices, extra):
    return {w.lower(): value for value, label in choices for w in (value, label, *extra.get(value, ()))}


TIERS = _words(SiteTier.choices, {"center": ("中心",), "station": ("站",), "point": ("点",)})
STANDARDS = _words(SiteStandard.choices, {"basic": ("基本",), "pioneer": ("先锋",)})
FUNCTIONS = _words(SiteFunction.choices, {})
YES = {"是", "启用", "yes", "y", "true", "1", ""}
NO = {"否", "停用", "no", "n", "false", "0"}


def import_sites(*, file, filename, user=None, report=None):
    """Load every row of the file or none; `user` (staff) may import only into their own area.
    `report(done, total)` hears how many rows are written (sites.imports.table.Progress)."""
    scope = import_scope(user)
    rows = read_table(file, filename, COLUMNS)
    codes = {r.get("area_code") for r in rows}
    areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return run_import(rows, lambda rows: _check(rows, areas, scope), _write, report)


def _check(rows, areas, scope):
    seen = {}
    for row in rows:
        name, code = row.get("name"), row.get("area_code")
        if not name:
            row.error("名称不能为空。")
        if not row.get("address"):
            row.error("地址不能为空。")
        row.tier = TIERS.get(row.get("tier").lower())
        if row.tier is None:
            row.error(f"层级“{row.get('tier')}”无法识别，应为 党群服务中心、党群服务站 或 党群服务点。")
        row.area = areas.get(code)
        if row.area is None:
            row.error(f"区域编码 {code or '（空）'} 在系统中不存在，请先导入区域。")
        elif scope is not None and not row.area.path.startswith(scope):
            row.error(f"区域编码 {code}（{row.area.name}）不在您的管辖范围内。")
        if (code, name) in seen:
            row.error(f"与第 {seen[code, name]} 行是同一区域的同名阵地。")
        seen.setdefault((code, name), row.line)
        row.lat = parse_decimal(row, "latitude", "纬度", -90, 90)
        row.lng = parse_decimal(row, "longitude", "经度", -180, 180)
        for key, label in (("latitude", "纬度"), ("longitude", "经度")):
            if not row.get(key):
                row.error(f"{label}不能为空。")
        row.floor_area = parse_decimal(row, "floor_area", "面积", 0, 9999999)
        row.batch = _whole(row, "pioneer_batch", "先锋阵地批次")
        row.year = _whole(row, "pioneer_year", "命名年份")
        row.standard = STANDARDS.get(row.get("standard").lower(), None if row.get("standard") else "")
        if row.standard is None:
            row.error(f"建设标准“{row.get('standard')}”无法识别，应为 基本标准 或 先锋标准。")
        row.functions = set()
        for word in filter(None, re.split(r"[;；,，、\s]+", row.get("functions"))):
            if word.lower() in FUNCTIONS:
                row.functions.add(FUNCTIONS[word.lower()])
            else:
                row.error(f"功能“{word}”无法识别，应为 政治引领、宣传教育、党群服务。")
        active = row.get("active").lower()
        row.active = active in YES
        if active not in YES | NO:
            row.error(f"启用“{row.get('active')}”应填 是 或 否。")
        try:
            text = row.get("opening_hours")
            row.hours = parse_opening_hours_text(text) if text else OpeningHours.default_json()
        except ValueError as error:
            row.error(str(error))


def _whole(row, key, label):
    text = row.get(key)
    if text and not (text.isascii() and text.isdigit()):  # int("²") fails though "²".isdigit()
        row.error(f"{label}“{text}”应为整数。")
        return None
    return int(text) if text else None


def _write(rows, progress):
    result = ImportResult()
    # The rows' existing sites in one query, not one per row: a district's file has thousands.
    existing = {(s.area_id, s.name): s for s in Site.objects.filter(area__in={row.area for row in rows})}
    for row in rows:
        progress.advance()
        site = existing.get((row.area.pk, row.get("name")))
        result.created += site is None
        result.updated += site is not None
        site = site or Site(area=row.area, name=row.get("name"))
        site.tier, site.address, site.phone = row.tier, row.get("address"), row.get("phone")
        site.latitude, site.longitude, site.floor_area = row.lat, row.lng, row.floor_area
        site.pioneer_batch, site.pioneer_year, site.standard = row.batch, row.year, row.standard
        site.is_active, site.opening_hours = row.active, row.hours
        for function in SiteFunction:
            setattr(site, f"fn_{function.value}", function in row.functions)
        try:
            site.full_clean()
        except ValidationError as error:
            for message in validation_messages(error, Site):
                row.error(message)
            continue
        site.save()
    return result
