"""What waits for a signed-in user in the booking app: requests to review, their own pending or refused
bookings. The 待办 page (composed in projects, the top layer) shows these lists beside the projects'."""

from dataclasses import dataclass

from django.urls import reverse

from .models import Booking, BookingStatus


@dataclass(frozen=True)
class TodoList:
    key: str
    title: str
    queryset: object  # rows oldest first, with what their row needs selected
    template: str  # the row partial
    link: str  # where the work is done (a row may link more precisely)


def booking_lists(user):
    lists = []
    if user.is_area_staff:
        lists.append(
            TodoList(
                "bookings_to_review",
                "待审核的预约",
                Booking.objects.managed_by(user)
                .awaiting_review()
                .select_related("venue__site", "organization"),
                "todo/includes/booking_review_row.html",
                reverse("services:review-queue"),
            )
        )
    mine = Booking.objects.filter(organizer=user).upcoming().select_related("venue__site")
    lists += [
        TodoList(
            "my_pending_bookings",
            "我的预约：等待审核",
            mine.filter(status=BookingStatus.PENDING).order_by("created_at", "pk"),
            "todo/includes/my_booking_row.html",
            reverse("services:my-bookings"),
        ),
        TodoList(
            "my_rejected_bookings",
            "我的预约：被驳回（可改约其他时段）",
            mine.filter(status=BookingStatus.REJECTED).order_by("decided_at", "pk"),
            "todo/includes/my_booking_row.html",
            reverse("services:my-bookings"),
        ),
    ]
    return lists
