import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many accounts; PBKDF2's deliberate slowness would cost ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
