"""Each app registers its admin in AppConfig.ready(), so `manage.py check` runs the admin checks on it."""

import subprocess
import sys

from django.conf import settings
from django.core import checks

# Run in a fresh interpreter: inside pytest config.urls is long imported, which would hide a registration
# that still depends on it.
PROBE = """
import django
django.setup()
import sys
from django.contrib import admin
assert "config.urls" not in sys.modules
print(" ".join(sorted(m._meta.label for m in admin.site._registry)))
"""


def test_admin_is_registered_at_setup_without_the_urlconf():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    ).stdout.split()
    for label in [
        "auth.Group",
        "members.User",
        "members.Organization",
        "sites.Area",
        "sites.Site",
        "services.Booking",
        "projects.Project",
        "projects.Expense",
    ]:
        assert label in out


def test_admin_system_checks_pass():
    assert checks.run_checks(tags=[checks.Tags.admin]) == []
