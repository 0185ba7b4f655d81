import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, connections

# The read replica's alias in tests: a TEST MIRROR of the test database (tests/test_db_router.py).
REPLICA = "replica"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Declare a replica that mirrors "default", unless DATABASE_REPLICA_URLS already declared some.

    The router only reads from it in tests that list it in settings.DATABASE_REPLICAS.
    """
    if REPLICA not in connections.settings and not django_settings.DATABASE_REPLICAS:
        default = connections.settings["default"]
        mirror = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
        django_settings.DATABASES[REPLICA] = mirror
        connections.settings[REPLICA] = mirror


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness is for real passwords; thousands of test users don't need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counts and cached API bodies live in the default cache: no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Text messages are collected in members.sms.outbox, like e-mail in django.core.mail.outbox."""
    from members import sms

    settings.SMS_BACKEND = "members.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded photos and receipts go to the test's own directory, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private = settings.STORAGES["private"]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**private, "OPTIONS": {**private["OPTIONS"], "location": settings.PRIVATE_MEDIA_ROOT}},
    }


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run only when the suite runs on PostgreSQL."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
