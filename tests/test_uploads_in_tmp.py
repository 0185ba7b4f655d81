"""The autouse fixture in tests/conftest.py keeps uploads out of the working tree."""

from django.core.files.storage import default_storage

from projects.models import Expense, ProjectPhoto


def test_uploads_go_to_the_tests_tmp_directory(tmp_path):
    receipts = Expense._meta.get_field("receipt").storage
    photos = ProjectPhoto._meta.get_field("image").storage
    assert receipts.location == str(tmp_path / "private")
    assert photos.location == default_storage.location == str(tmp_path / "media")
