"""The chain of areas from the city down to an area, for breadcrumbs: many areas in one query."""

from .models import Area


def _steps(area):
    return [int(step) for step in area.path.strip("/").split("/")]


def chains(areas):
    """{area.pk: [city, district, …, area]} for every area given, read in one query."""
    by_pk = Area.objects.in_bulk({pk for area in areas for pk in _steps(area)})
    return {area.pk: [by_pk[pk] for pk in _steps(area)] for area in areas}


def chain(area):
    return chains([area])[area.pk]
