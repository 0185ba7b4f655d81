"""身份证号: the format and check character are checked; only a keyed fingerprint and the last four
are kept."""

import pytest
from django.core.exceptions import ValidationError

from members.id_numbers import fingerprint, parse_id_number, with_check_character

VALID = "11010519491231002X"  # GB 11643's own example


def test_a_valid_number_gives_fingerprint_last4_birth_and_gender():
    parsed = parse_id_number(VALID.lower())
    assert parsed.last4 == "002X"
    assert parsed.birth_date.isoformat() == "1949-12-31"
    assert parsed.gender == "female"  # 17th digit 2 is even
    assert parsed.fingerprint == fingerprint(VALID)
    assert VALID not in parsed.fingerprint and len(parsed.fingerprint) == 64


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("110105194912310021", "校验位"),
        ("110105491231002", "18 位"),
        ("1101051949123100２X", "18 位"),
        ("110105194913310020", "出生日期"),
        ("11010521991231002Y", "最后一位"),
        ("", "18 位"),
    ],
)
def test_a_wrong_number_is_refused_in_chinese_saying_what(text, says):
    with pytest.raises(ValidationError) as refused:
        parse_id_number(text)
    assert says in refused.value.messages[0]


def test_the_fingerprint_depends_on_the_key(settings):
    before = fingerprint(VALID)
    settings.ID_NUMBER_HASH_KEY = "another key"
    assert fingerprint(VALID) != before


def test_with_check_character_makes_valid_numbers():
    assert with_check_character("11010519491231002") == VALID


def test_production_refuses_to_start_without_the_key():
    import os
    import subprocess
    import sys

    from django.conf import settings as live

    env = {k: v for k, v in os.environ.items() if k != "ID_NUMBER_HASH_KEY"}
    env |= {"PRODUCTION": "true", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.cn"}
    probe = "import django; django.setup()"
    run = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=live.BASE_DIR
    )
    assert run.returncode != 0 and "ID_NUMBER_HASH_KEY" in run.stderr
