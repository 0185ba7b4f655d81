"""Changelist filters from the address bar: a value the database can't take is a 400 that says so.

Django checks a filter's value only as far as building the query: `?date__year=9999` passes, then
asks Python for year 10000 (ValueError); `?start__gte=0001-01-01` passes, then overflows turning local
time to UTC on SQLite. Both were 500s. And the filters Django does refuse (IncorrectLookupParameters)
redirect to `?e=1`, whose page blames the database installation. Here every refused filter is a 400
page naming the parameters sent and, for our own filters, the reason.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.core.exceptions import EmptyResultSet
from django.template.response import TemplateResponse

NOT_SHOWN = {ERROR_FLAG, "p", "o", "q"}  # paging, order and search are not filters


class ExplainedLookupError(IncorrectLookupParameters):
    """A refused filter whose message is a Chinese sentence for the person who typed it."""


class StrictChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:  # the date hierarchy's year/month/day
            raise IncorrectLookupParameters(error) from error

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        try:
            # Turning the filter values into SQL is where a date past Python's range overflows.
            queryset.query.sql_with_params()
        except EmptyResultSet:
            pass  # a filter that matches nothing is a fine, empty list
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset


class RefusedLookup(Exception):
    """Carries a refused filter past Django's changelist_view, which would redirect to `?e=1`."""


def refused_lookup_page(model_admin, request, error):
    """`error`: the IncorrectLookupParameters Django or a filter raised."""
    params = [(k, v) for k, v in request.GET.items() if k not in NOT_SHOWN]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "筛选条件有误",
        "opts": model_admin.model._meta,
        "reason": str(error) if isinstance(error, ExplainedLookupError) else "",
        "params": params,
        "clear_url": request.path,
    }
    return TemplateResponse(request, "admin/refused_lookup.html", context, status=400)
