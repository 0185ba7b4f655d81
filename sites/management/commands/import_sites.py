from sites.imports import import_sites

from ._import import ImportCommand


class Command(ImportCommand):
    help = "从 CSV 或 .xlsx 导入阵地（党群服务中心/站/点）；按区域与名称匹配，重复导入只更新。"
    importer = import_sites
    what = "阵地"
