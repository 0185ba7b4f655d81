"""People register themselves on a phone: a code by SMS proves the number, then a password.

One path for every self-registered account: volunteers (`register_volunteer`) and residents
(services/residents.py: register_resident, an app above this one) both call `create_phone_account`.

A code is six random digits, stored only as a keyed hash (HMAC with SECRET_KEY), valid CODE_MINUTES,
and dies after MAX_ATTEMPTS wrong guesses: a million codes against five guesses. Sending is limited per
client address and per phone (SMS_CODE_RATE, in the shared cache) and to one code a minute per phone
(in the database), so the form can't be used to flood a phone or run up the provider's bill.
"""

import datetime
import re
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .errors import Refusal
from .models import PhoneCode, Role, User, Volunteer
from .password_reset import in_words, seconds_to_wait
from .sms import SmsError, send_sms

CODE_MINUTES = 10
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _digest(phone, code):
    return salted_hmac("members.registration", f"{phone}:{code}").hexdigest()


def check_mobile(phone):
    phone = (phone or "").strip()
    if not MOBILE.match(phone):
        raise Refusal("请填写 11 位手机号，如 13812345678。", kind=Refusal.INVALID)
    return phone


def send_code(*, phone, ip, purpose="志愿者注册"):
    """Text a registration code to `phone`; refuses a registered number and too many requests.

    `purpose` names the form in the text (志愿者注册, 居民注册), so a person knows what the code is for.
    """
    phone = check_mobile(phone)
    if Volunteer.objects.filter(phone=phone).exists() or User.objects.filter(username=phone).exists():
        raise Refusal("该手机号已注册，请直接登录。")
    last = (
        PhoneCode.objects.filter(phone=phone).order_by("-sent_at").values_list("sent_at", flat=True).first()
    )
    if last and (left := RESEND_SECONDS - (timezone.now() - last).total_seconds()) > 0:
        raise Refusal(f"验证码已发送，请 {in_words(int(left) + 1)}后再重新获取。")
    wait = seconds_to_wait("ip", ip, rate=settings.SMS_CODE_RATE, scope="sms-code") or seconds_to_wait(
        "phone", phone, rate=settings.SMS_CODE_RATE, scope="sms-code"
    )
    if wait:
        raise Refusal(f"获取验证码过于频繁，请 {in_words(wait)}后再试。")
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        PhoneCode.objects.create(
            phone=phone,
            code_hash=_digest(phone, code),
            expires_at=timezone.now() + datetime.timedelta(minutes=CODE_MINUTES),
            ip=ip,
        )
        try:
            send_sms(
                phone, f"【海棠花红】您的{purpose}验证码是 {code}，{CODE_MINUTES} 分钟内有效，请勿告诉他人。"
            )
        except SmsError as error:
            raise Refusal("短信发送失败，请稍后再试。") from error


def check_code(*, phone, code):
    """Count a guess against the newest live code of `phone` (committed even when wrong); return it."""
    now = timezone.now()
    live = PhoneCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).order_by(
        "-sent_at"
    )
    current = live.first()
    if current is None:
        raise Refusal("验证码已过期或尚未获取，请重新获取验证码。", kind=Refusal.INVALID)
    # The guess is counted before it is compared, by a conditional UPDATE: simultaneous guesses can't
    # share one attempt.
    if not PhoneCode.objects.filter(pk=current.pk, attempts__lt=MAX_ATTEMPTS).update(
        attempts=F("attempts") + 1
    ):
        raise Refusal("验证码错误次数过多，请重新获取验证码。", kind=Refusal.INVALID)
    if not constant_time_compare(current.code_hash, _digest(phone, (code or "").strip())):
        raise Refusal("验证码不正确，请核对短信中的 6 位数字。", kind=Refusal.INVALID)
    return current


def create_phone_account(*, phone, code, password, name, role, profile):
    """The account (the phone as login) and its profile, `profile(user)` (a Volunteer, a Resident),
    in one transaction; the code's guess is counted and committed before it, even when wrong."""
    phone = check_mobile(phone)
    phone_code = check_code(phone=phone, code=code)
    try:
        with transaction.atomic():
            used = PhoneCode.objects.filter(pk=phone_code.pk, used_at__isnull=True)
            if not used.update(used_at=timezone.now()):
                raise Refusal("验证码已使用，请重新获取验证码。", kind=Refusal.INVALID)
            user = User.objects.create(
                username=phone, phone=phone, role=role, first_name=name, password=make_password(password)
            )
            return profile(user)
    except IntegrityError as error:  # the phone registered meanwhile (send_code refused it before)
        raise Refusal("该手机号已注册，请直接登录。") from error


def register_volunteer(*, phone, code, password, name, community):
    """The account (role 志愿者, the phone as login) and the Volunteer, in one transaction."""

    def volunteer_of(user):
        volunteer = Volunteer(name=name, phone=user.phone, community=community, user=user)
        volunteer.full_clean(exclude=["user", "phone"])
        volunteer.save()
        return volunteer

    return create_phone_account(
        phone=phone, code=code, password=password, name=name, role=Role.VOLUNTEER, profile=volunteer_of
    )
