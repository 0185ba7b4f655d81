"""The booking API: rooms' availability, free rooms, create / cancel / approve / reject.

201 created, 400 bad input (field errors in Chinese), 403 not allowed, 404 not yours to see,
409 the span is taken (with the clash and alternatives) or the booking is past that step.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import availability, checkin
from . import booking as operations
from .models import Booking
from .serializers import (
    AvailabilityQuery,
    BookingCreateSerializer,
    BookingSerializer,
    ConflictSerializer,
    FreeRoomSerializer,
    FreeRoomsQuery,
    RejectSerializer,
    span_json,
)


def conflict_response(conflict, attendees):
    alternatives = availability.alternatives(
        conflict.venue, start=conflict.span[0], end=conflict.span[1], attendees=attendees
    )
    body = {
        "detail": str(conflict),
        "clashes": [{**span_json(b.span), "label": "已被预约"} for b in conflict.clashes],
        "free_same_room": [span_json(span) for span in alternatives.same_room],
        "nearby": FreeRoomSerializer(alternatives.nearby, many=True).data,
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


def validation_response(error):
    if hasattr(error, "error_dict"):
        return Response(
            {k: [str(m) for e in v for m in e.messages] for k, v in error.error_dict.items()}, 400
        )
    return Response({"detail": "；".join(error.messages), "non_field_errors": error.messages}, 400)


class RoomAvailabilityView(APIView):
    """Each room's opening, busy and free spans for one to seven days (no booker's details)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[AvailabilityQuery], responses={200: None})
    def get(self, request):
        query = AvailabilityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rooms = availability.bookable_rooms()
        rooms = list(rooms.filter(pk=data["venue"]) if data.get("venue") else rooms.filter(site=data["site"]))
        if not rooms:
            raise exceptions.NotFound("没有找到可预约的活动室。")
        plans = availability.plans(rooms, data.get("date") or timezone.localdate(), data["days"])
        return Response(
            [
                {
                    "id": room.pk,
                    "name": room.name,
                    "site": room.site.name,
                    "capacity": room.capacity,
                    "url": reverse("services:room-detail", args=[room.pk]),
                    "days": [
                        {
                            "date": plan.date,
                            "closed_reason": plan.closed_reason,
                            "opening": [span_json(s) for s in plan.opening],
                            "free": [span_json(s) for s in plan.free],
                            "busy": [span_json(b.span) for b in plan.busy],
                        }
                        for plan in plans[room.pk]
                    ],
                }
                for room in rooms
            ]
        )


class FreeRoomsView(APIView):
    """Rooms free for all of [start, end) for N people: near a point (nearest first) or in an area."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[FreeRoomsQuery], responses={200: FreeRoomSerializer(many=True)})
    def get(self, request):
        query = FreeRoomsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rooms = availability.bookable_rooms()
        if "lat" not in data:
            rooms = rooms.within(data["area"])
        found = availability.free_rooms(
            rooms, start=data["start"], end=data["end"], attendees=data["attendees"],
            lat=data.get("lat"), lng=data.get("lng"), radius_m=data["radius"],
        )  # fmt: skip
        return Response(FreeRoomSerializer(found, many=True).data)


class BookingListCreateView(generics.ListCreateAPIView):
    """GET: bookings you may see (your own; staff: their area's). POST: book a room."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = BookingSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        bookings = Booking.objects.visible_to(self.request.user).select_related(
            "venue__site__area", "cancelled_by"
        )
        return bookings.order_by("-start", "-pk")

    @extend_schema(
        request=BookingCreateSerializer,
        responses={
            201: BookingSerializer,
            400: OpenApiResponse(description="输入有误或违反预约规则"),
            409: ConflictSerializer,
        },
    )
    def post(self, request):
        incoming = BookingCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            booking = operations.book_venue(organizer=request.user, **incoming.validated_data)
        except ValidationError as error:
            return validation_response(error)
        except operations.BookingConflict as conflict:
            return conflict_response(conflict, incoming.validated_data["attendees"])
        return Response(BookingSerializer(booking, context={"request": request}).data, status=201)


class BookingActionView(APIView):
    """POST to move one booking on; 404 when it is not yours (or your area's) to see."""

    permission_classes = [permissions.IsAuthenticated]
    request_serializer = None

    def act(self, booking, data):
        raise NotImplementedError

    def post(self, request, pk):
        booking = get_object_or_404(
            Booking.objects.visible_to(request.user).select_related("venue__site__area"), pk=pk
        )
        data = {}
        if self.request_serializer:
            incoming = self.request_serializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            data = incoming.validated_data
        try:
            self.act(booking, data)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except ValidationError as error:
            return Response({"detail": "；".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        booking.refresh_from_db()
        return Response(BookingSerializer(booking, context={"request": request}).data)


@extend_schema(request=None, responses={200: BookingSerializer})
class CancelView(BookingActionView):
    """Cancel before the start (the organiser, or staff of the area); ?and_later=1 for the series' rest."""

    def act(self, booking, data):
        and_later = self.request.query_params.get("and_later") in ("1", "true")
        operations.cancel_booking(booking=booking, by=self.request.user, and_later=and_later)


@extend_schema(request=None, responses={200: BookingSerializer})
class ApproveView(BookingActionView):
    def act(self, booking, data):
        operations.approve_booking(booking=booking, by=self.request.user)


@extend_schema(request=RejectSerializer, responses={200: BookingSerializer})
class RejectView(BookingActionView):
    request_serializer = RejectSerializer

    def act(self, booking, data):
        operations.reject_booking(booking=booking, by=self.request.user, reason=data["reason"])


@extend_schema(
    request=None,
    responses={
        200: BookingSerializer,
        403: OpenApiResponse(description="不是预约人，也不是该区域的工作人员"),
        409: OpenApiResponse(description="不在签到时间内，或该预约已释放、未确认"),
    },
)
class CheckInView(BookingActionView):
    """Check a booking in at the room: the organiser, or area staff for them; from 15 minutes before the
    start to the end. Checking in twice is not an error."""

    def act(self, booking, data):
        try:
            checkin.check_in_booking(booking=booking, by=self.request.user)
        except checkin.CheckInRefused as error:
            raise ValidationError(str(error)) from error
