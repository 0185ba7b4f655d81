"""Error pages and API errors in Chinese, for the cases Django and DRF would answer in English.

Django's own handlers render 400/403/404/500.html from templates/; these cover what they can't:
a 404 under /api/ answers JSON like the rest of the API, and DRF's 404 for a missing object
("No Site matches the given query.") becomes a sentence a Chinese reader understands.
"""

import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework.exceptions import NotFound, ParseError, Throttled, ValidationError
from rest_framework.views import exception_handler

NOT_FOUND = "未找到：该记录不存在，或不在您的权限范围内。"
# DRF words these in English whatever the language ("JSON parse error - Expecting value …").
UNREADABLE_BODY = "请求体无法解析：请发送有效的 JSON（注意引号、逗号和括号），或表单数据。"
NO_DATA = "请求体为空：请发送一个 JSON 对象，写明各字段的值。"
TOO_LARGE = "请求体过大：除上传文件外，最多 {} MB。"


def bad_request(request, message):
    """A 400 that says what is wrong: JSON under /api/ like the rest of the API, else the 400 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到：没有这个接口地址，请对照 /api/docs/ 检查。"}, status=404)
    return defaults.page_not_found(request, exception)


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = NotFound(_not_found_reason(context.get("request")))
    elif isinstance(exc, ParseError) and exc.get_codes() == ParseError.default_code:
        exc = ParseError(UNREADABLE_BODY)  # ours (sites.strict_json) already say what is wrong
    elif isinstance(exc, RequestDataTooBig):  # Django's limit, met when DRF reads the body
        exc = ParseError(TOO_LARGE.format(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20))
    elif isinstance(exc, ValidationError) and _is_no_data(exc.detail):
        exc = ValidationError({"detail": NO_DATA})
    elif isinstance(exc, Throttled):
        exc = _throttled(exc.wait)
    return exception_handler(exc, context)


def throttled_message(wait):
    if wait is None:
        return "请求过于频繁，请稍后再试。"
    return f"请求过于频繁，请 {max(1, math.ceil(wait))} 秒后再试。"


def _throttled(wait):
    # Throttled(wait=…) would append DRF's English "Expected available in …"; the wait is set after,
    # so the handler still sends it as Retry-After.
    exc = Throttled(detail=throttled_message(wait))
    exc.wait = None if wait is None else max(1, math.ceil(wait))
    return exc


def _not_found_reason(request):
    """DRF answers an unknown ?format= with a bare 404, which would read as "no such record"."""
    view = getattr(request, "parser_context", {}).get("view")
    fmt = request.query_params.get("format") if view is not None else None
    formats = [renderer.format for renderer in view.get_renderers()] if fmt else []
    if fmt and fmt not in formats:
        return f"不支持的格式 format={fmt}；可用：{'、'.join(formats)}。"
    return NOT_FOUND


def _is_no_data(detail):
    """DRF's answer to a `null` body: {"non_field_errors": ["No data provided"]} (code "null")."""
    errors = detail.get("non_field_errors", []) if isinstance(detail, dict) else []
    return len(detail) == 1 and len(errors) == 1 and getattr(errors[0], "code", None) == "null"
