from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from config.api_docs import ApiDocsView
from members.password_reset import ThrottledPasswordResetView

admin.site.site_header = "海棠花红 · 党群服务中心管理"
admin.site.site_title = "党群服务中心管理"
admin.site.index_title = "管理首页"

handler404 = "config.errors.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's own: the same address and name, with a limit on how often it sends mail.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("services.urls")),
    path("", include("projects.urls")),
    path("", include("sites.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
