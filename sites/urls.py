from django.urls import path

from . import views

app_name = "sites"

urlpatterns = [
    path("", views.home, name="home"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site-detail"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="area-detail"),
]
