"""Residents register themselves (居民注册): the shared phone registration of members/registration.py
(SMS code, then a password) with a Resident profile naming their community and, optionally, grid."""

from members.models import Role
from members.registration import create_phone_account

from .resident_models import Resident


def register_resident(*, phone, code, password, name, community, grid=None):
    """The account (role 居民, the phone as login) and the Resident, in one transaction."""

    def resident_of(user):
        resident = Resident(user=user, name=name, community=community, grid=grid)
        resident.full_clean(exclude=["user"])
        resident.save()
        return resident

    return create_phone_account(
        phone=phone, code=code, password=password, name=name, role=Role.RESIDENT, profile=resident_of
    )
