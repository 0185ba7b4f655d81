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
