"""Static files for production: whitenoise's compressed, hashed copies, ES module imports included."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    # Our pages' ES modules import each other by relative path ("./map_common.js"). Without this, the
    # hashed map.<hash>.js would still import the unhashed map_common.js, which browsers cache under
    # whitenoise's short max-age and could serve stale after a deploy; with it, collectstatic rewrites
    # those imports to the hashed names too.
    support_js_module_import_aggregation = True
