from django.urls import include, path

from . import volunteer_api
from . import volunteer_views as views

app_name = "volunteers"

urlpatterns = [
    path("volunteers/register/", views.register, name="register"),
    path("volunteers/me/", views.my_record, name="me"),
    path("volunteers/services/new/", views.service_submit, name="service-new"),
    path("volunteers/services/<int:pk>/photo/", views.service_photo, name="service-photo"),
    path("volunteers/review/", views.review_queue, name="review"),
    path("volunteers/services/<int:pk>/verify/", views.service_verify, name="service-verify"),
    path("volunteers/services/<int:pk>/reject/", views.service_reject, name="service-reject"),
    path("volunteers/rewards/", views.reward_list, name="rewards"),
    path("volunteers/rewards/<int:pk>/redeem/", views.reward_redeem, name="reward-redeem"),
    path("volunteers/handover/", views.handover_queue, name="handover"),
    path(
        "volunteers/redemptions/<int:pk>/hand-over/", views.redemption_hand_over, name="redemption-hand-over"
    ),
    path("volunteers/redemptions/<int:pk>/cancel/", views.redemption_cancel, name="redemption-cancel"),
    path("volunteers/ranking/", views.ranking, name="ranking"),
    path("api/", include(volunteer_api.router.urls)),
]
