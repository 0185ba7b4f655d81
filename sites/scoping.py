"""One definition of "what lies in an area" and "what a user may see", shared by every model family.

A model's queryset names the lookup that leads to an area's materialized path; `within(area)` and
`visible_to(user)` then filter on that path's prefix: one indexed query at any depth of the tree.
"""

from django.db import models
from django.db.models import F
from django.db.models.lookups import In


class AreaScopedQuerySet(models.QuerySet):
    area_path_lookup = "area__path"

    def within(self, area):
        return self.filter(**{f"{self.area_path_lookup}__startswith": area.path})

    def visible_to(self, user):
        """What `user` may see: everything for superusers, their area's subtree for staff, else nothing.

        `user.scope_path` (members.User) is '' for everything and None for nothing.
        """
        path = getattr(user, "scope_path", None)
        if path is None:
            return self.none()
        return self.filter(**{f"{self.area_path_lookup}__startswith": path})


class AnyOf(In):
    """`field IN (subquery)`, written `field = ANY(ARRAY(subquery))` on PostgreSQL: the same rows, but an
    index condition there, so an OR of several such tests (a demand is seen by its resident, its
    community's staff, whoever it is dispatched to …) reads each test's index and joins the row sets (a
    BitmapOr) instead of testing every row of the table against each subquery in turn. Elsewhere the
    plain IN. The subquery runs once, before the scan: keep it to a short list of ids."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def any_of(field, queryset):
    """A filter: `field`'s value is one of `queryset`'s single column (see AnyOf)."""
    return AnyOf(F(field), queryset.order_by())
