from sites.imports import import_areas

from ._import import ImportCommand


class Command(ImportCommand):
    help = "从 CSV 或 .xlsx 导入区域（市—区—镇/街道—村/社区—网格）；按编码匹配，重复导入只更新。"
    importer = import_areas
    what = "区域"
