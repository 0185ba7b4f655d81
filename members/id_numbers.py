"""身份证号 under PIPL's minimum collection: checked, then kept only as a keyed fingerprint and last 4.

The number itself is never stored or logged. `fingerprint` is HMAC-SHA256 keyed by ID_NUMBER_HASH_KEY
(settings), so matching a duplicate across imports works while a leaked table can't be reversed by
hashing all 10^17 possible numbers without the key.
"""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

# GB 11643-1999: the check character of the 18th place.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


@dataclass(frozen=True)
class IdNumber:
    fingerprint: str
    last4: str
    birth_date: dt.date
    gender: str  # members.Gender value: the 17th digit is odd for men


def parse_id_number(text):
    """The checked number's fingerprint, last four characters, birth date and gender; a ValidationError
    in Chinese saying what is wrong otherwise."""
    number = (text or "").strip().upper()
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        raise ValidationError("身份证号应为 18 位：前 17 位是数字，最后一位是数字或 X。")
    if number[17] not in "0123456789X":
        raise ValidationError("身份证号最后一位应是数字或 X。")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号第 7 到 14 位的出生日期不存在，请核对。") from None
    if not dt.date(1900, 1, 1) <= birth <= dt.date.today():
        raise ValidationError("身份证号中的出生日期不合理，请核对。")
    expected = CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(number, WEIGHTS, strict=False)) % 11]
    if number[17] != expected:
        raise ValidationError("身份证号校验位不对，可能有数字抄错了，请逐位核对。")
    return IdNumber(
        fingerprint=fingerprint(number),
        last4=number[-4:],
        birth_date=birth,
        gender="male" if int(number[16]) % 2 else "female",
    )


def fingerprint(number):
    key = settings.ID_NUMBER_HASH_KEY.encode()
    return hmac.new(key, number.strip().upper().encode(), hashlib.sha256).hexdigest()


def with_check_character(first17):
    """A valid number from its first 17 digits (the demo data and the tests make numbers this way)."""
    return first17 + CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=False)) % 11]
