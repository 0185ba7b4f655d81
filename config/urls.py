from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView

from config import health, metrics
from config.api_docs import ApiDocsView
from members.password_reset import ThrottledPasswordResetView

admin.site.site_header = "海棠花红 · 党群服务中心管理"
admin.site.site_title = "党群服务中心管理"
admin.site.index_title = "管理首页"

handler404 = "config.errors.page_not_found"


class FaviconRedirect(RedirectView):
    # Resolved per request: in production the manifest storage knows the hashed name only after
    # collectstatic, and `check --deploy` imports these URLs before that.
    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    # Before the admin's own, at its address and name: Django's admin strings for JavaScript plus ours
    # (sites/locale), for what its zh_Hans catalogue lacks (the group and permission pickers).
    path("admin/jsi18n/", JavaScriptCatalog.as_view(packages=["django.contrib.admin", "sites"])),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    # Before Django's own: the same address and name, with a limit on how often it sends mail.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Browsers ask for /favicon.ico whatever the page links to (the admin, a PDF, an error page).
    path("favicon.ico", FaviconRedirect.as_view(permanent=True)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # The public map, site and area pages and the map's API take most requests: their app first, since
    # Django tries every pattern before the match (≈1 ms for /api/sites/ when it came last). None of its
    # few fixed patterns matches another app's address, so the order changes no match.
    path("", include("sites.urls")),
    path("", include("services.urls")),
    path("", include("projects.urls")),
    path("", include("members.urls")),
    path("", include("members.volunteer_urls")),
]
if not settings.PRODUCTION:
    # Uploaded photos in development, DEBUG or not (`make run` runs without DEBUG); in production the
    # proxy serves MEDIA_ROOT. Receipts live outside it (PRIVATE_MEDIA_ROOT) and are never served here.
    # MEDIA_ROOT is read per request, so tests that move it to a temporary folder are served from there.
    def media(request, path):
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", media)]
