"""The text-message interface: the backend comes from settings, and tests collect what is sent."""

import pytest

from members import sms


def test_send_sms_goes_to_the_configured_backend(sms_outbox):
    sms.send_sms("13812345678", "验证码 123456")
    assert sms_outbox == [("13812345678", "验证码 123456")]


def test_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "members.sms.ConsoleSmsBackend"
    sms.send_sms("13812345678", "您的预约已通过")
    assert "13812345678: 您的预约已通过" in capsys.readouterr().out


def test_base_backend_is_only_an_interface():
    with pytest.raises(NotImplementedError):
        sms.BaseSmsBackend().send("13812345678", "x")
