from django.urls import path

from . import (
    activity_api,
    activity_views,
    api,
    checkin_views,
    demand_api,
    demand_views,
    list_api,
    list_views,
    need_pages,
    open311,
    resident_views,
    suggestion_api,
    views,
)

app_name = "services"

urlpatterns = [
    path("rooms/free/", views.free_rooms, name="free-rooms"),
    path("rooms/<int:pk>/", views.room_detail, name="room-detail"),
    path("rooms/<int:pk>/book/", views.book, name="book"),
    path("rooms/<int:pk>/checkin/", checkin_views.room_checkin, name="room-checkin"),
    path("bookings/mine/", views.my_bookings, name="my-bookings"),
    path("bookings/review/", views.review_queue, name="review-queue"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:pk>/approve/", views.approve, name="approve"),
    path("bookings/<int:pk>/reject/", views.reject, name="reject"),
    path("bookings/<int:pk>/checkin/", checkin_views.booking_checkin, name="booking-checkin"),
    path("bookings/<int:pk>/lift-hold/", checkin_views.lift_hold, name="lift-hold"),
    path("calendar/regenerate/", views.regenerate_feed, name="calendar-regenerate"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("activities/", activity_views.activity_list, name="activity-list"),
    path("activities/mine/", activity_views.my_activities, name="my-activities"),
    path("activities/new/", activity_views.publish, name="activity-new"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/signup/", activity_views.signup, name="activity-signup"),
    path("activities/<int:pk>/cancel-signup/", activity_views.cancel_signup, name="activity-cancel-signup"),
    path("activities/<int:pk>/checkin/", activity_views.check_in, name="activity-checkin"),
    path("activities/<int:pk>/cancel/", activity_views.cancel_activity, name="activity-cancel"),
    path("activities/<int:pk>/attendance/", activity_views.attendance, name="activity-attendance"),
    path("sites/<int:pk>/activities.ics", activity_views.site_activities_feed, name="site-activities-feed"),
    path("api/activities/", activity_api.ActivityListCreateView.as_view(), name="api-activities"),
    path("api/activities/<int:pk>/", activity_api.ActivityDetailView.as_view(), name="api-activity"),
    path("api/activities/<int:pk>/signup/", activity_api.SignupView.as_view(), name="api-activity-signup"),
    path(
        "api/activities/<int:pk>/cancel-signup/",
        activity_api.CancelSignupView.as_view(),
        name="api-activity-cancel-signup",
    ),
    path("api/activities/<int:pk>/checkin/", activity_api.CheckInView.as_view(), name="api-activity-checkin"),
    path(
        "api/activities/<int:pk>/attendance/",
        activity_api.AttendanceView.as_view(),
        name="api-activity-attendance",
    ),
    path("api/rooms/availability/", api.RoomAvailabilityView.as_view(), name="api-availability"),
    path("api/rooms/free/", api.FreeRoomsView.as_view(), name="api-free-rooms"),
    path("residents/register/", resident_views.register, name="resident-register"),
    path("demands/new/", demand_views.demand_new, name="demand-new"),
    path("demands/new/for-resident/", demand_views.demand_new_for_resident, name="demand-new-for-resident"),
    path("demands/mine/", demand_views.my_demands, name="demand-mine"),
    path("demands/inbox/", demand_views.inbox, name="demand-inbox"),
    path("demands/supervision/", demand_views.supervision_list, name="demand-supervision"),
    path("demands/figures/", demand_views.figures, name="demand-figures"),
    path("demands/map.geojson", demand_views.public_map, name="demand-map"),
    path("demands/map/", demand_views.demand_map, name="demand-map-page"),
    path("demands/<int:pk>/", demand_views.demand_detail, name="demand-detail"),
    path("demands/<int:pk>/photo/<slug:which>/", demand_views.demand_photo, name="demand-photo"),
    path("demands/<int:pk>/<slug:move>/", demand_views.demand_move, name="demand-move"),
    path("demands/supervision/<int:pk>/answer/", demand_views.supervision_answer, name="demand-answer"),
    path("open311/v2/services.<str:fmt>", open311.services, name="open311-services"),
    path("open311/v2/requests.<str:fmt>", open311.requests, name="open311-requests"),
    path("open311/v2/requests/<int:pk>.<str:fmt>", open311.request_detail, name="open311-request"),
    path("api/demands/", demand_api.DemandListCreateView.as_view(), name="api-demands"),
    path("api/demands/<int:pk>/", demand_api.DemandDetailView.as_view(), name="api-demand"),
    *(
        path(f"api/demands/<int:pk>/{name}/", view.as_view(), name=f"api-demand-{name}")
        for name, view in demand_api.MOVES.items()
    ),
    path("api/bookings/", api.BookingListCreateView.as_view(), name="api-bookings"),
    path("api/bookings/<int:pk>/cancel/", api.CancelView.as_view(), name="api-cancel"),
    path("api/bookings/<int:pk>/approve/", api.ApproveView.as_view(), name="api-approve"),
    path("api/bookings/<int:pk>/reject/", api.RejectView.as_view(), name="api-reject"),
    path("api/bookings/<int:pk>/checkin/", api.CheckInView.as_view(), name="api-booking-checkin"),
]

# 三张清单: needs, resources, claims (services/list_api.py)
urlpatterns += [
    path("api/needs/", list_api.NeedListCreateView.as_view(), name="api-needs"),
    path("api/needs/geojson/", list_api.NeedGeoJSONView.as_view(), name="api-needs-geojson"),
    path("api/needs/<int:pk>/", list_api.NeedDetailView.as_view(), name="api-need"),
    path(
        "api/needs/<int:pk>/suggestions/",
        suggestion_api.NeedSuggestionsView.as_view(),
        name="api-need-suggestions",
    ),
    *[
        path(f"api/needs/<int:pk>/{step}/", list_api.NeedStepView.as_view(step=step), name=f"api-need-{step}")
        for step in ("publish", "withdraw", "close")
    ],
    path("api/resources/", list_api.ResourceListCreateView.as_view(), name="api-resources"),
    path("api/claims/", list_api.ClaimListCreateView.as_view(), name="api-claims"),
    path("api/claims/<int:pk>/accept/", list_api.AcceptClaimView.as_view(), name="api-claim-accept"),
    path("api/claims/<int:pk>/decline/", list_api.DeclineClaimView.as_view(), name="api-claim-decline"),
    path("api/claims/<int:pk>/withdraw/", list_api.WithdrawClaimView.as_view(), name="api-claim-withdraw"),
    path("api/claims/<int:pk>/complete/", list_api.CompleteClaimView.as_view(), name="api-claim-complete"),
    path("api/claims/<int:pk>/evaluate/", list_api.EvaluateClaimView.as_view(), name="api-claim-evaluate"),
]

# 三张清单 pages (services/list_views.py)
urlpatterns += [
    path("needs/", list_views.need_board, name="need-list"),
    path("needs/map/", list_views.need_map, name="need-map"),
    path("needs/<int:pk>/", list_views.need_detail, name="need-detail"),
    path("needs/<int:pk>/claim/", list_views.claim_need, name="need-claim"),
    *[
        path(f"needs/<int:pk>/{step}/", list_views.need_step, {"step": step}, name=f"need-{step}")
        for step in ("publish", "withdraw", "close")
    ],
    path("claims/", list_views.claim_desk, name="claim-desk"),
    *[
        path(f"claims/<int:pk>/{step}/", list_views.claim_step, {"step": step}, name=f"claim-{step}")
        for step in ("accept", "decline", "withdraw", "complete", "evaluate")
    ],
]

# 三张清单: recording needs on a page, suggestions both ways and 不再推荐 (services/need_pages.py,
# services/suggestion_api.py)
urlpatterns += [
    path("needs/new/", need_pages.need_new, name="need-new"),
    path("needs/<int:pk>/edit/", need_pages.need_edit, name="need-edit"),
    path("needs/<int:pk>/photos/<int:photo>/delete/", need_pages.photo_delete, name="need-photo-delete"),
    path("needs/<int:pk>/suggestions/<int:resource>/dismiss/", need_pages.dismiss, name="suggestion-dismiss"),
    path("needs/<int:pk>/suggestions/<int:resource>/restore/", need_pages.restore, name="suggestion-restore"),
    path("resources/<int:pk>/", need_pages.resource_detail, name="resource-detail"),
    path(
        "api/needs/<int:pk>/suggestions/<int:resource>/dismiss/",
        suggestion_api.DismissalView.as_view(),
        name="api-suggestion-dismiss",
    ),
    path(
        "api/resources/<int:pk>/suggestions/",
        suggestion_api.ResourceSuggestionsView.as_view(),
        name="api-resource-suggestions",
    ),
]

# 共建单位年度指标 and 挂钩联系困难群众 (services/indicator_views.py, services/indicator_api.py)
from . import indicator_api, indicator_views  # noqa: E402

urlpatterns += [
    path("cobuilding/indicators/", indicator_views.indicator_board, name="indicator-board"),
    path("cobuilding/hardship/", indicator_views.hardship_links, name="hardship-links"),
    path("cobuilding/hardship/<int:pk>/end/", indicator_views.end_hardship_link, name="hardship-link-end"),
    path(
        "api/units/<int:pk>/indicators/",
        indicator_api.UnitIndicatorsView.as_view(),
        name="api-unit-indicators",
    ),
]
