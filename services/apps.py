from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "阵地服务"

    def ready(self):
        # The admin uses SimpleAdminConfig (no autodiscovery, see INSTALLED_APPS), so each app registers
        # its own ModelAdmins here; being registered before checks run, they get the admin's system checks.
        from members.meetings import register_room_booker
        from sites.page_cache import depends_on

        from . import admin, demand_admin, resident_admin  # noqa: F401
        from .availability import todays_bookings
        from .meeting_rooms import book_meeting_room

        # A 三会一课 meeting planned in a site's room books the room (members is below us: a slot).
        register_room_booker(book_meeting_room)

        # A site's page lists each room's free slots left today (templatetags/booking.py): they change
        # with today's bookings (not next week's: the part of the table they read), rules and closed
        # dates, and a slot drops out once it has begun.
        depends_on(
            "sites:site-detail",
            "services.VenueRules",
            "services.ClosedDate",
            "services.Activity",  # its upcoming activities and their places left
            refresh_seconds=15 * 60,
            parts={"services.Booking": todays_bookings},
        )
