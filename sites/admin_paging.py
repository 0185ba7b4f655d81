"""A paginator for changelists over tables of millions of rows, where counting them all costs seconds.

It counts at most `CAP` + 1 rows; past that the list says 10000+ and offers the first pages, which is
what a person pages through anyway: beyond them they narrow the list with its filters and search.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 10_000


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self):
        return self.object_list[: CAP + 1].count()
