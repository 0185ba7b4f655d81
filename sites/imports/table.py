"""Reading an uploaded table: CSV or .xlsx, Chinese or English headers, every cell as a trimmed string."""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple
    required: bool = False


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self):
        return f"第 {self.line} 行：{self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0

    def __str__(self):
        return f"新增 {self.created} 条，更新 {self.updated} 条。"


class ImportFailed(Exception):
    """Nothing was loaded; `errors` names every bad row."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda e: e.line)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class Row:
    line: int
    values: dict
    errors: list = field(default_factory=list)

    def get(self, key):
        return self.values.get(key, "")

    def error(self, message):
        self.errors.append(RowError(self.line, message))


def import_scope(user):
    """The area path prefix `user` may import into: None (no limit) for the command line."""
    if user is None:
        return None
    if user.scope_path is None:
        raise ImportFailed([RowError(1, "您的账号没有负责区域，不能导入。")])
    return user.scope_path


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps 320508000000 as a number
    return str(value).strip()


def _raw_rows(uploaded, filename):
    """(line number, [cells]) for each row of the file's first table."""
    name = filename.lower()
    data = uploaded.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a damaged or mislabelled file
            raise ImportFailed([RowError(1, "无法读取 Excel 文件，请确认是 .xlsx 格式。")]) from error
        return [(n, [_cell(v) for v in row]) for n, row in enumerate(sheet.iter_rows(values_only=True), 1)]
    if name.endswith(".csv"):
        text = _decode_csv(data)
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            return [(reader.line_num, [_cell(v) for v in cells]) for cells in reader]
        except csv.Error as error:  # a cell past the csv module's 128 KiB limit, or a stray quote
            raise ImportFailed(
                [RowError(reader.line_num, "此行无法解析：单元格过长或引号不配对，请检查后重新保存为 CSV。")]
            ) from error
    raise ImportFailed([RowError(1, "只能导入 .csv 或 .xlsx 文件。")])


def read_table(uploaded, filename, columns):
    """Rows keyed by column key; unknown or missing columns fail the whole file at line 1."""
    rows = [(n, cells) for n, cells in _raw_rows(uploaded, filename) if any(cells)]
    if not rows:
        raise ImportFailed([RowError(1, "文件是空的：第一行应为表头。")])
    header_line, headers = rows[0]
    by_alias = {alias.lower(): c for c in columns for alias in (c.key, *c.aliases)}
    errors, keys = [], []
    for header in headers:
        column = by_alias.get(header.lower())
        if header and column is None:
            known = "、".join(f"{c.aliases[0]}（{c.key}）" for c in columns)
            errors.append(RowError(header_line, f"无法识别的列“{header}”。可用的列：{known}。"))
        keys.append(column.key if column else None)
    for column in columns:
        if column.required and column.key not in keys:
            errors.append(RowError(header_line, f"缺少必填列“{column.aliases[0]}”（{column.key}）。"))
    if len([k for k in keys if k]) != len({k for k in keys if k}):
        errors.append(RowError(header_line, "表头中有重复的列。"))
    # PostgreSQL can't store a NUL character in text; say which line has one rather than fail there.
    errors += [
        RowError(line, "此行含有不可见的控制字符（NUL），请删除后再导入。")
        for line, cells in rows[1:]
        if any("\x00" in cell for cell in cells)
    ]
    if errors:
        raise ImportFailed(errors)
    return [
        Row(line, {key: value for key, value in zip(keys, cells, strict=False) if key})
        for line, cells in rows[1:]
    ]


class Progress:
    """Rows written so far, told to `report(done, total)` every `every` rows and at the last one, so a
    terminal or the admin's progress bar can follow a long import."""

    def __init__(self, total, report=None, every=100):
        self.done, self.total, self.report, self.every = 0, total, report, every

    def advance(self):
        self.done += 1
        if self.report and (self.done % self.every == 0 or self.done == self.total):
            self.report(self.done, self.total)


def run_import(rows, check, write, report=None):
    """`check(rows)` records errors on rows; if none, `write(rows, progress)` runs in one transaction
    (calling `progress.advance()` per row), and any row error it records rolls everything back."""
    if report:
        report(0, len(rows))
    check(rows)
    errors = [e for row in rows for e in row.errors]
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        result = write(rows, Progress(len(rows), report))
        errors = [e for row in rows for e in row.errors]
        if errors:
            raise ImportFailed(errors)  # leaving the atomic block by an exception rolls back
    return result


def validation_messages(error, model):
    """The Chinese messages of a ValidationError raised by full_clean(), with the fields' Chinese labels."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        m if name == "__all__" else f"{model._meta.get_field(name).verbose_name}：{m}"
        for name, messages in error.message_dict.items()
        for m in messages
    ]


def parse_decimal(row, key, label, low, high):
    """A number in [low, high] or None when blank; records an error otherwise."""
    from decimal import Decimal, InvalidOperation

    text = row.get(key)
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        row.error(f"{label}“{text}”不是数字。")
        return None
    if not value.is_finite() or not low <= value <= high:
        row.error(f"{label} {text} 超出范围（应在 {low} 到 {high} 之间）。")
        return None
    return value


def _decode_csv(data):
    """UTF-8 (with or without BOM) first; then GB18030, which Chinese Excel's plain "CSV" save writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed(
        [RowError(1, "无法识别文件编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。")]
    )
