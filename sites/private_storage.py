"""STORAGES["private"]: files kept outside the publicly served media (receipts, uploaded import files).

A FileField evaluates a storage callable once, at import; `private` looks the storage up when first
used, so a later change of STORAGES (a test's tmp directory, say) still reaches the fields using it.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private = _PrivateStorage()


def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private._wrapped = empty


setting_changed.connect(_forget_private_storage)


def private_storage():
    """The FileField `storage` callable for files that must never be served as media."""
    return private
