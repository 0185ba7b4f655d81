from django.urls import include, path

from . import api, meeting_api
from .views import me, meetings, roster

app_name = "members"

urlpatterns = [
    path("me/", me.me, name="me"),
    path("me/party/", me.my_membership, name="my-membership"),
    path("me/inbox/", me.inbox, name="inbox"),
    path("me/inbox/read/", me.mark_read, name="inbox-read"),
    path("members/", roster.member_list, name="member-list"),
    path("members/roster.xlsx", roster.member_export, name="member-export"),
    path("members/reporting/", roster.reporting_list, name="reporting-list"),
    # 组织生活: an organisation's meetings, recording one, the area's compliance list.
    path("organizations/mine/life/", meetings.my_organization, name="my-organization-life"),
    path("organizations/<str:pk>/life/", meetings.organization_life, name="organization-life"),
    path("organizations/<str:pk>/meetings/record/", meetings.meeting_record, name="meeting-record"),
    path("organizations/<str:pk>/meetings/plan/", meetings.meeting_plan, name="meeting-plan"),
    path(
        "organizations/<str:pk>/meetings/<str:meeting_pk>/record/",
        meetings.meeting_record,
        name="meeting-rerecord",
    ),
    path("meetings/<str:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/attachments/<str:pk>/", meetings.meeting_attachment, name="meeting-attachment"),
    path("compliance/", meetings.compliance_list, name="compliance-list"),
    path("compliance/compliance.xlsx", meetings.compliance_xlsx, name="compliance-export"),
    path("api/", include(api.router.urls)),
    path("api/", include(meeting_api.urlpatterns)),
]
