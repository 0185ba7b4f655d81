"""/api/docs/: Swagger UI, served from our own static files (drf-spectacular-sidecar), so it works offline.

Swagger UI rather than Redoc: Redoc 2 injects <style> elements before it can be given a nonce and always
loads its logo from cdn.redoc.ly, so it cannot run under our policy without 'unsafe-inline' styles and a
foreign host. Swagger UI needs neither: its styles are a static file and it draws with the DOM API. The
page keeps the site-wide policy unchanged; there is no inline script either (static/js/api_docs.js reads
its settings from a json_script block).
"""

from django.conf import settings
from django.middleware.csrf import get_token
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.response import Response


class ApiDocsView(SpectacularSwaggerView):
    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return Response(
            data={
                "title": self.title,
                "swagger_ui_css": self._swagger_ui_resource("swagger-ui.css"),
                "swagger_ui_bundle": self._swagger_ui_resource("swagger-ui-bundle.js"),
                "favicon_href": self._swagger_ui_favicon(),
                "config": {
                    "url": self._get_schema_url(request),
                    "settings": spectacular_settings.SWAGGER_UI_SETTINGS,
                    # "Try it out" on a write sends the session's CSRF token, as our own pages do.
                    "csrfHeader": settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-"),
                    "csrfToken": get_token(request),
                },
            },
            template_name=self.template_name,
        )
