from django.urls import include, path

from . import api, views

app_name = "members"

urlpatterns = [
    path("members/", views.member_list, name="member-list"),
    path("members/roster.xlsx", views.member_export, name="member-export"),
    path("members/reporting/", views.reporting_list, name="reporting-list"),
    path("api/", include(api.router.urls)),
]
