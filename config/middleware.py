"""Requests refused before any view sees them."""

from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError

from .errors import bad_request

NUL_REFUSED = "请求中含有空字符（NUL，%00），无法处理。请删除该字符后重试。"


class RefuseNulMiddleware:
    """A NUL character anywhere in the path, the query, the form fields or the headers is a 400.

    PostgreSQL cannot store or even compare text holding NUL: a NUL that reaches a query (an admin
    filter or search, a calendar token, a session cookie) fails there with a 500, and SQLite would
    silently store it. One check here covers every view, form, filter and lookup; JSON bodies are
    parsed by DRF, whose text fields refuse NUL themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return bad_request(request, NUL_REFUSED)
        return self.get_response(request)


def _has_nul(request):
    try:
        post = request.POST
    except (MultiPartParserError, UnreadablePostError):
        post = {}  # a body nobody can read: the view answers it as it would without this check
    texts = [request.path, *(v for k, v in request.META.items() if k.startswith("HTTP_"))]
    for data in (request.GET, post):
        texts += [*data.keys(), *(value for key in data for value in data.getlist(key))]
    return any("\x00" in text for text in texts)
