"""Imports of areas and sites from CSV (UTF-8, with or without BOM) and Excel .xlsx files.

One code path for `manage.py import_areas|import_sites` and the admin's upload pages: read the table,
check every row, and either load every row in one transaction or load nothing and name each bad row with
its line number and the reason, in Chinese. Staff can import only into their own area.
"""

from .areas import import_areas
from .sites import import_sites
from .table import ImportFailed, ImportResult, RowError

__all__ = ["ImportFailed", "ImportResult", "RowError", "import_areas", "import_sites"]
