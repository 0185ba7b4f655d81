from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/inbox/", views.inbox, name="inbox"),
    path("me/inbox/read/", views.mark_read, name="inbox-read"),
]
