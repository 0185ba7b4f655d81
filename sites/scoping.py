"""One definition of "what lies in an area" and "what a user may see", shared by every model family.

A model's queryset names the lookup that leads to an area's materialized path; `within(area)` and
`visible_to(user)` then filter on that path's prefix: one indexed query at any depth of the tree.
"""

from django.db import models


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
