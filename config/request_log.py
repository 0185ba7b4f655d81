"""A request id on every response and every log line; JSON log lines in production.

RequestIdMiddleware takes the id nginx sent (X-Request-ID, `proxy_set_header X-Request-ID $request_id`)
when it looks like one, else makes one, and answers with it, so a user's report, nginx's access log,
gunicorn's and ours can be matched. The id lives in a context variable from the request's start until
Django's request_finished, so django.request's own line for a 4xx/5xx (written after the middleware
returns) carries it too.
"""

import contextvars
import json
import logging
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # what we'd write into a log line unquoted
_request_id = contextvars.ContextVar("request_id", default="-")


def current_request_id():
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _SANE.match(given) else uuid.uuid4().hex
        _request_id.set(request_id)
        request.request_id = request_id
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished)
def _forget_request_id(sender, **kwargs):
    _request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (`-` outside a request)."""

    def filter(self, record):
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and the traceback if any."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
