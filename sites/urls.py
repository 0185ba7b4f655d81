from django.urls import path

from . import api, coverage_views, views

app_name = "sites"

urlpatterns = [
    path("", views.home, name="home"),
    path("sites/", views.site_list, name="site-list"),
    path("sites/<int:pk>/", views.site_detail, name="site-detail"),
    path("areas/", views.area_index, name="area-index"),
    path("areas/<int:pk>/", views.area_detail, name="area-detail"),
    path("coverage/", coverage_views.coverage_list, name="coverage"),
    path("coverage/map/", coverage_views.coverage_map, name="coverage-map"),
    path("api/sites/", api.SiteCollectionView.as_view(), name="api-site-collection"),
    path("api/sites/<int:pk>/", api.SiteDetailAPIView.as_view(), name="api-site-detail"),
    path("api/areas/", api.AreaListAPIView.as_view(), name="api-area-list"),
]
