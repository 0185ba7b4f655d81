"""Error pages and API errors in Chinese, for the cases Django and DRF would answer in English.

Django's own handlers render 400/403/404/500.html from templates/; these cover what they can't:
a 404 under /api/ answers JSON like the rest of the API, and DRF's 404 for a missing object
("No Site matches the given query.") becomes a sentence a Chinese reader understands.
"""

from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework.exceptions import NotFound
from rest_framework.views import exception_handler

NOT_FOUND = "未找到：该记录不存在，或不在您的权限范围内。"


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到：没有这个接口地址，请对照 /api/docs/ 检查。"}, status=404)
    return defaults.page_not_found(request, exception)


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = NotFound(NOT_FOUND)
    return exception_handler(exc, context)
