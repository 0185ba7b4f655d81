"""Self-registration on a phone: a code by SMS (hashed, expiring, five guesses), then a password."""

import datetime as dt
import re

import pytest
import time_machine

from members.errors import Refusal
from members.models import PhoneCode, Role, Volunteer
from members.registration import register_volunteer, send_code

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def code_in(outbox):
    return re.search(r"\d{6}", outbox[-1][1]).group()


def test_a_volunteer_registers_with_the_code_texted_to_them(community, sms_outbox):
    send_code(phone=PHONE, ip="10.0.0.1")
    code = code_in(sms_outbox)
    assert sms_outbox[-1][0] == PHONE
    assert code not in PhoneCode.objects.get().code_hash

    volunteer = register_volunteer(
        phone=PHONE, code=code, password="haitang-2026", name="张三明", community=community
    )

    assert (volunteer.user.role, volunteer.user.username, volunteer.community) == (
        Role.VOLUNTEER,
        PHONE,
        community,
    )
    assert volunteer.user.check_password("haitang-2026")
    with pytest.raises(Refusal, match="验证码已过期或尚未获取"):
        register_volunteer(
            phone=PHONE, code=code, password="x-2026-haitang", name="张三明", community=community
        )
    with pytest.raises(Refusal, match="已注册"):
        send_code(phone=PHONE, ip="10.0.0.1")


def test_five_wrong_guesses_kill_the_code(community, sms_outbox):
    send_code(phone=PHONE, ip="10.0.0.1")
    code = code_in(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(Refusal, match="验证码不正确"):
            register_volunteer(
                phone=PHONE, code=wrong, password="haitang-2026", name="张三", community=community
            )
    with pytest.raises(Refusal, match="错误次数过多"):
        register_volunteer(phone=PHONE, code=code, password="haitang-2026", name="张三", community=community)
    assert not Volunteer.objects.exists()


def test_a_code_expires(community, sms_outbox):
    send_code(phone=PHONE, ip="10.0.0.1")
    with (
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)),
        pytest.raises(Refusal, match="过期"),
    ):
        register_volunteer(
            phone=PHONE, code=code_in(sms_outbox), password="haitang-2026", name="张三", community=community
        )


def test_sending_is_throttled_per_phone_and_per_address(sms_outbox, settings):
    settings.SMS_CODE_RATE = "2/hour"
    send_code(phone=PHONE, ip="10.0.0.1")
    with pytest.raises(Refusal, match="验证码已发送，请 .*后再重新获取"):
        send_code(phone=PHONE, ip="10.0.0.1")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)):
        send_code(phone="13912345679", ip="10.0.0.1")
        with pytest.raises(Refusal, match="过于频繁"):
            send_code(phone="13912345670", ip="10.0.0.1")
    assert len(sms_outbox) == 2


def test_a_bad_number_is_refused_in_chinese():
    with pytest.raises(Refusal, match="请填写 11 位手机号"):
        send_code(phone="12345", ip="10.0.0.1")
