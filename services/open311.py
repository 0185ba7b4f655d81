"""Open311 GeoReport v2, read-only and public: the demand categories as services, accepted demands as
service requests (http://wiki.open311.org/GeoReport_v2), in JSON and XML as the spec requires.

No personal data leaves: no names, phones or exact addresses. The address is the community's name, the
point is the grid's centre (the community's when there is no grid), the description is the demand's
title with any run of digits long enough to be a phone or house number masked; the resident's own text
is never published. Demands not yet accepted (受理) are left out: their text has not been looked at.
Our states map to open / closed, with the detail (已派单, 已超期 …) in `status_notes`.
"""

import datetime as dt
import re
from xml.etree import ElementTree

from django.conf import settings
from django.db.models import Case, DecimalField, F, When
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from sites.ids import parse_id

from .demand_models import EXIT_STATUSES, OPEN_STATUSES, Demand, DemandCategory, DemandStatus

# What GeoReport v2 names each field of a service and of a request (its field list, in order).
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]  # fmt: skip
DEFAULT_DAYS = 90  # the spec: without dates, the last 90 days
MAX_REQUESTS = 1000  # the spec: at most 1000 requests per answer
LONG_DIGITS = re.compile(r"\d{5,}")
PUBLISHED = [*OPEN_STATUSES, DemandStatus.RESOLVED, DemandStatus.CLOSED, *EXIT_STATUSES]


def masked_digits(text):
    """`text` with every run of digits long enough to be a phone or house number starred out."""
    return LONG_DIGITS.sub(lambda m: "*" * len(m.group()), text)


def jurisdiction():
    return settings.OPEN311_JURISDICTION


class BadRequest(Exception):
    def __init__(self, code, description):
        super().__init__(description)
        self.code, self.description = code, description


def _xml(root, item, rows):
    top = ElementTree.Element(root)
    for row in rows:
        element = ElementTree.SubElement(top, item)
        for key, value in row.items():
            text = str(value).lower() if isinstance(value, bool) else "" if value is None else str(value)
            ElementTree.SubElement(element, key).text = text
    return b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(top, encoding="utf-8")


def _answer(fmt, root, item, rows, status=200):
    if fmt == "xml":
        return HttpResponse(_xml(root, item, rows), status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(rows, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(fmt, error):
    row = {"code": error.code, "description": error.description}
    return _answer(fmt, "errors", "error", [row], status=error.code)


def _check(request, fmt):
    if fmt not in ("json", "xml"):
        raise Http404("只提供 .json 和 .xml 两种格式。")
    given = request.GET.get("jurisdiction_id")
    if given and given != jurisdiction():
        raise BadRequest(404, f"jurisdiction_id 无效：本系统为 {jurisdiction()}。")


def _w3c(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _when(request, name):
    text = request.GET.get(name)
    if not text:
        return None
    moment = parse_datetime(text.replace(" ", "+")) if "T" in text else None
    if moment is None:
        try:
            moment = dt.datetime.combine(dt.date.fromisoformat(text), dt.time.min)
        except ValueError:
            raise BadRequest(400, f"{name} 应为 W3C 日期时间，如 2026-10-01T00:00:00+08:00。") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def service_rows():
    return [
        {
            "service_code": str(c.pk), "service_name": c.name,
            "description": f"{c.name}，受理后 {c.deadline_days} 个工作日内办结。", "metadata": False,
            "type": "realtime", "keywords": "", "group": "居民诉求",
        }
        for c in DemandCategory.objects.filter(active=True)
    ]  # fmt: skip


def public_demands():
    """Accepted demands with the point snapped to the grid's (else the community's) centre."""
    centre = DecimalField(max_digits=9, decimal_places=6)
    return (
        Demand.objects.filter(status__in=PUBLISHED, accepted_at__isnull=False)
        .select_related("category", "community")
        .annotate(
            lat=Case(
                When(grid__latitude__isnull=False, then=F("grid__latitude")),
                default=F("community__latitude"),
                output_field=centre,
            ),
            lng=Case(
                When(grid__longitude__isnull=False, then=F("grid__longitude")),
                default=F("community__longitude"),
                output_field=centre,
            ),
        )  # fmt: skip
        .only(
            "pk",
            "status",
            "title",
            "category__name",
            "category_id",
            "community__name",
            "submitted_at",
            "accepted_at",
            "resolved_at",
            "closed_at",
            "deadline",
            "overdue_at",
        )
    )


def request_row(demand):
    notes = demand.get_status_display() + ("（已超期）" if demand.overdue_at and demand.is_open else "")
    updated = max(
        m for m in (demand.submitted_at, demand.accepted_at, demand.resolved_at, demand.closed_at) if m
    )
    return {
        "service_request_id": str(demand.pk),
        "status": "open" if demand.status in OPEN_STATUSES else "closed",
        "status_notes": notes,
        "service_name": demand.category.name,
        "service_code": str(demand.category_id),
        "description": masked_digits(demand.title),
        "agency_responsible": demand.community.name,
        "service_notice": "",
        "requested_datetime": _w3c(demand.submitted_at),
        "updated_datetime": _w3c(updated),
        "expected_datetime": _w3c(demand.deadline),
        "address": demand.community.name,
        "address_id": "",
        "zipcode": "",
        "lat": float(demand.lat) if demand.lat is not None else None,
        "long": float(demand.lng) if demand.lng is not None else None,
        "media_url": "",
    }


def _guarded(view):
    def wrapped(request, *args, fmt, **kwargs):
        try:
            _check(request, fmt)
            return view(request, *args, fmt=fmt, **kwargs)
        except BadRequest as error:
            return _error(fmt if fmt in ("json", "xml") else "json", error)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return require_GET(wrapped)


@_guarded
def services(request, *, fmt):
    """GET /open311/v2/services.{json,xml}: the active categories."""
    return _answer(fmt, "services", "service", service_rows())


@_guarded
def requests(request, *, fmt):
    """GET /open311/v2/requests.{json,xml}: ?status=open|closed, service_code, start_date, end_date."""
    start, end = _when(request, "start_date"), _when(request, "end_date")
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    demands = public_demands()
    if start is not None:
        demands = demands.filter(submitted_at__gte=start)
    if end is not None:
        demands = demands.filter(submitted_at__lt=end)
    status = request.GET.get("status")
    if status == "open":
        demands = demands.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        demands = demands.exclude(status__in=OPEN_STATUSES)
    elif status:
        raise BadRequest(400, "status 只能是 open 或 closed。")
    codes = [c for c in request.GET.get("service_code", "").split(",") if c]
    if codes:
        ids = [parse_id(c) for c in codes]
        if None in ids:
            raise BadRequest(400, "service_code 应为服务编号（数字），多个用英文逗号分隔。")
        demands = demands.filter(category_id__in=ids)
    rows = [request_row(d) for d in demands.order_by("-submitted_at", "-pk")[:MAX_REQUESTS]]
    return _answer(fmt, "service_requests", "request", rows)


@_guarded
def request_detail(request, pk, *, fmt):
    """GET /open311/v2/requests/{id}.{json,xml}: one request (a list of one, as the spec has it)."""
    demand = public_demands().filter(pk=pk).first()
    if demand is None:
        raise BadRequest(404, f"没有编号为 {pk} 的公开诉求。")
    return _answer(fmt, "service_requests", "request", [request_row(demand)])
