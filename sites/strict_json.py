"""JSON sent to the API or typed into the admin, read strictly: what Python's json module lets through
would be a 500 further on.

- nesting: the C decoder recurses once per level, so 10,000 `[` raise RecursionError; we refuse more
  than MAX_DEPTH levels before decoding;
- NaN, Infinity and numbers past a float's range (1e309 decodes to inf) are not JSON: PostgreSQL's jsonb
  and SQLite's JSON_VALID refuse them when the row is saved, and no field of ours can hold them;
- an integer of more than 4,300 digits makes int() raise ValueError, not a decode error;
- a NUL (\u0000) in a string: PostgreSQL can't store it, and a date field's parser ignores it, so a
  form's NUL is refused before any view (config.middleware) and a JSON one here, alike.

(Size is Django's DATA_UPLOAD_MAX_MEMORY_SIZE: DRF reads a JSON body through request.body, which checks
it; config.errors words the refusal for the API.)

Every refusal is a JSONDecodeError, which Django's forms.JSONField answers with its "invalid" message
(`formfield_overrides` of the scoped admin) and the API parser with a Chinese 400.
"""

import json
import math
import re

from django import forms
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Our deepest real document: a GeoJSON MultiPolygon (object → coordinates → polygons → rings → points).
MAX_DEPTH = 20
TOO_DEEP = f"JSON 嵌套过深：最多 {MAX_DEPTH} 层。"
NOT_FINITE = "JSON 中不能有 NaN、Infinity 或超出范围的数字（如 1e309）。"
TOO_LONG = "JSON 中的整数位数过多。"
HAS_NUL = "JSON 中不能有空字符（NUL，\\u0000），请删除后重试。"
FORM_INVALID = f"请填写有效的 JSON：用英文引号和逗号，不能有 NaN、Infinity，嵌套不超过 {MAX_DEPTH} 层。"

# A string (skipped whole, so brackets inside it don't count) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
# \u0000 not itself escaped (JSON can't hold a raw NUL: the decoder refuses control characters).
_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


class Refused(json.JSONDecodeError):
    """Well-formed enough to decode, but not what we accept; `msg` says why in Chinese."""

    def __init__(self, msg, doc=""):
        super().__init__(msg, doc, 0)


def _too_deep(text):
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False  # nearly every document: no need to walk it
    depth = 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif bracket in "]}":
            depth -= 1
    return False


def _refuse_constant(name):
    raise Refused(NOT_FINITE)


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise Refused(NOT_FINITE)
    return value


def _bounded_int(text):
    try:
        return int(text)
    except ValueError as error:
        raise Refused(TOO_LONG) from error


class StrictJSONDecoder(json.JSONDecoder):
    def __init__(self, **kwargs):
        kwargs.update(parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_bounded_int)
        super().__init__(**kwargs)

    def decode(self, s, *args, **kwargs):
        if _too_deep(s):
            raise Refused(TOO_DEEP, s)
        if _NUL.search(s):
            raise Refused(HAS_NUL, s)
        return super().decode(s, *args, **kwargs)


class JSONFormField(forms.JSONField):
    """The admin's JSON box: strict, and empty when there is no value (Django shows JSON's "null")."""

    def __init__(self, **kwargs):
        # The model field hands its own decoder over, None unless it declares one.
        super().__init__(**{**kwargs, "decoder": kwargs.get("decoder") or StrictJSONDecoder})
        self.error_messages["invalid"] = FORM_INVALID

    def prepare_value(self, value):
        return "" if value is None else super().prepare_value(value)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the checks above; its own errors keep DRF's generic code, so
    config.errors words them, while ours (code "refused") come through as they are."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            text = stream.read().decode(parsers.get_encoding(parser_context or {}))
            return json.loads(text, cls=StrictJSONDecoder)
        except Refused as error:
            raise ParseError(error.msg, code="refused") from error
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError alike
            raise ParseError() from error
