from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

# Registered by hand, not autodiscovered: see INSTALLED_APPS in settings.
import django.contrib.auth.admin  # noqa: F401, E402  isort: skip
import members.admin  # noqa: F401, E402  isort: skip
import projects.admin  # noqa: F401, E402  isort: skip
import services.admin  # noqa: F401, E402  isort: skip
import sites.admin  # noqa: F401, E402  isort: skip

admin.site.site_header = "海棠花红 · 党群服务中心管理"
admin.site.site_title = "党群服务中心管理"
admin.site.index_title = "管理首页"

handler404 = "config.errors.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # Browsers ask for /favicon.ico whatever the page links to (the admin, a PDF, an error page).
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("services.urls")),
    path("", include("projects.urls")),
    path("", include("sites.urls")),
]
if not settings.PRODUCTION:
    # Uploaded photos in development, DEBUG or not (`make run` runs without DEBUG); in production the
    # proxy serves MEDIA_ROOT. Receipts live outside it (PRIVATE_MEDIA_ROOT) and are never served here.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}
        )
    ]
