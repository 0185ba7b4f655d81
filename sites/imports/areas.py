"""Import of the area tree: rows matched on their code (a re-import updates, never duplicates); rows
without a code (grids) matched on their parent and name. A parent may be in the database or in the file.

Columns: code/编码, name/名称 (required), level/层级 (required), parent_code/上级编码 (required except for
the city), latitude/纬度, longitude/经度.
"""

import re

from django.core.exceptions import ValidationError

from ..models import LEVEL_DEPTH, Area, AreaLevel
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
    Column("code", ("编码", "区划代码")),
    Column("name", ("名称",), required=True),
    Column("level", ("层级",), required=True),
    Column("parent_code", ("上级编码",)),
    Column("latitude", ("纬度",)),
    Column("longitude", ("经度",)),
]
LEVEL_WORDS = {
    AreaLevel.CITY: ("city", "市"),
    AreaLevel.DISTRICT: ("district", "区/县级市", "区", "县级市", "县"),
    AreaLevel.TOWN: ("town", "镇/街道", "镇", "街道", "乡"),
    AreaLevel.COMMUNITY: ("community", "村/社区", "村", "社区"),
    AreaLevel.GRID: ("grid", "网格"),
}
LEVELS = {word.lower(): level for level, words in LEVEL_WORDS.items() for word in words}
PARENT_LEVEL = dict(zip(list(AreaLevel)[1:], list(AreaLevel)[:-1], strict=True))


def import_areas(*, file, filename, user=None, report=None):
    """Load every row of the file or none; `user` (staff) may import only within their own area.
    `report(done, total)` hears how many rows are written (sites.imports.table.Progress)."""
    scope = import_scope(user)
    rows = read_table(file, filename, COLUMNS)
    checker = _Checker(rows, scope)
    return run_import(rows, checker.check, checker.write, report)


class _Checker:
    def __init__(self, rows, scope):
        self.rows, self.scope = rows, scope
        self.in_file = {}  # code -> row

    def _in_scope(self, area):
        return self.scope is None or area.path.startswith(self.scope)

    def check(self, rows):
        codes = [r.get("code") for r in rows] + [r.get("parent_code") for r in rows]
        self.existing = {a.code: a for a in Area.objects.filter(code__in={c for c in codes if c})}
        self.city = Area.objects.filter(level=AreaLevel.CITY).first()
        self.city_line = None  # the file's first 市 row
        first_line = {}
        for row in rows:
            row.level = LEVELS.get(row.get("level").lower())
            code = row.get("code")
            if code and code in first_line:
                row.error(f"编码 {code} 与第 {first_line[code]} 行重复。")
            elif code:
                first_line[code] = row.line
                self.in_file[code] = row
        for row in rows:
            self._check_row(row)

    def _check_row(self, row):
        code, name, parent_code = row.get("code"), row.get("name"), row.get("parent_code")
        if not name:
            row.error("名称不能为空。")
        if row.level is None:
            words = "、".join(w for words in LEVEL_WORDS.values() for w in words[1:2])
            row.error(f"层级“{row.get('level')}”无法识别，应为 {words} 之一（或 city…grid）。")
        if code and not re.fullmatch(r"\d{12}", code):
            row.error(f"编码“{code}”应为 12 位数字。")
        row.lat = parse_decimal(row, "latitude", "纬度", -90, 90)
        row.lng = parse_decimal(row, "longitude", "经度", -180, 180)
        if (row.lat is None) != (row.lng is None) and not row.errors:
            row.error("纬度和经度须同时填写或同时留空。")
        existing = self.existing.get(code) if code else None
        if existing and row.level and existing.level != row.level:
            row.error(
                f"编码 {code} 已是{existing.get_level_display()}“{existing.name}”，"
                f"不能改为{row.level.label}。"
            )
        if existing and not self._in_scope(existing):
            row.error(f"编码 {code}（{existing.name}）不在您的管辖范围内。")
        if row.level is None:
            return
        if row.level == AreaLevel.CITY:
            if parent_code:
                row.error("“市”不能有上级编码。")
            elif self.scope:
                row.error("您无权导入“市”级区域。")
            else:
                self._check_single_city(row, existing)
            return
        self._check_parent(row, parent_code)

    def _check_single_city(self, row, existing):
        # The database allows one 市 (area_single_city); say so per row rather than fail at the write.
        if self.city is not None and existing != self.city:
            code = f"（编码 {self.city.code}）" if self.city.code else ""
            row.error(f"只能有一个市级区域：系统中已有“{self.city.name}”{code}。")
        elif self.city_line is not None:
            row.error(f"只能有一个市级区域：第 {self.city_line} 行已是市。")
        else:
            self.city_line = row.line

    def _check_parent(self, row, parent_code):
        expected = PARENT_LEVEL[row.level]
        if not parent_code:
            row.error(f"缺少上级编码：{row.level.label}须填写其{expected.label}的编码。")
            return
        if parent_code == row.get("code"):
            row.error("上级编码不能是本行自己的编码。")
            return
        parent_row, parent = self.in_file.get(parent_code), self.existing.get(parent_code)
        parent_level = parent_row.level if parent_row else parent.level if parent else None
        if parent_row is None and parent is None:
            row.error(f"上级编码 {parent_code} 在系统和本文件中都不存在。")
        elif parent_level and parent_level != expected:
            row.error(
                f"{row.level.label}的上级应是{expected.label}，"
                f"而编码 {parent_code} 是{AreaLevel(parent_level).label}。"
            )
        elif parent_row is None and not self._in_scope(parent):
            row.error(f"上级编码 {parent_code}（{parent.name}）不在您的管辖范围内。")

    def write(self, rows, progress):
        result = ImportResult()
        made = {}  # code -> Area written by this import
        for row in sorted(rows, key=lambda r: LEVEL_DEPTH[r.level]):
            progress.advance()
            code, parent_code = row.get("code") or None, row.get("parent_code")
            parent = made.get(parent_code) or self.existing.get(parent_code) if parent_code else None
            if code:
                area = self.existing.get(code)
            else:
                area = Area.objects.filter(parent=parent, name=row.get("name"), code__isnull=True).first()
            result.created += area is None
            result.updated += area is not None
            area = area or Area()
            area.name, area.level, area.parent, area.code = row.get("name"), row.level, parent, code
            if row.lat is not None:
                area.latitude, area.longitude = row.lat, row.lng
            try:
                area.full_clean(exclude=["path", "depth"])
            except ValidationError as error:
                for message in validation_messages(error, Area):
                    row.error(message)
                continue
            area.save()
            if code:
                made[code] = area
        return result
