"""Production's collectstatic: every file hashed, and our ES modules import each other's hashed copies.

`make run` and the other tests use plain static files, so only this test runs the production storage.
"""

import re

from django.core.management import call_command


def test_production_collectstatic_hashes_every_file_and_module_import(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)  # raises on a reference to a missing file

    (hashed_map,) = (tmp_path / "js").glob("map.*.js")
    imports = re.findall(r'from "(\./[^"]+)"', hashed_map.read_text(encoding="utf-8"))
    assert imports and all(re.fullmatch(r"\./[a-z_]+\.[0-9a-f]{12}\.js", path) for path in imports), imports
    for path in imports:
        assert (tmp_path / "js" / path).exists()


def test_favicon_is_linked_and_answered(client, db):
    """Every page links the favicon, and /favicon.ico (asked for by browsers regardless) leads to it."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/static/favicon.svg")
    assert 'rel="icon"' in client.get("/sites/").content.decode()


def test_uploaded_photos_are_served_in_development_without_debug(client, settings):
    """`make run` runs with DEBUG off: photos under MEDIA_ROOT must still show (not in production)."""
    from pathlib import Path

    assert not settings.DEBUG
    folder = Path(settings.MEDIA_ROOT) / "test-serving"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        (folder / "dot.txt").write_text("ok", encoding="utf-8")
        response = client.get(f"/{settings.MEDIA_URL.strip('/')}/test-serving/dot.txt")
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"ok"
    finally:
        (folder / "dot.txt").unlink()
        folder.rmdir()
    # Receipts are never under MEDIA_ROOT, so they can't be reached this way.
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT))
