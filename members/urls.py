from django.urls import include, path

from . import api
from .views import me, roster

app_name = "members"

urlpatterns = [
    path("me/", me.me, name="me"),
    path("me/party/", me.my_membership, name="my-membership"),
    path("me/inbox/", me.inbox, name="inbox"),
    path("me/inbox/read/", me.mark_read, name="inbox-read"),
    path("members/", roster.member_list, name="member-list"),
    path("members/roster.xlsx", roster.member_export, name="member-export"),
    path("members/reporting/", roster.reporting_list, name="reporting-list"),
    path("api/", include(api.router.urls)),
]
