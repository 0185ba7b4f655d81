"""Residents (居民) who registered to raise demands (我要反映); `services.residents` registers them.

A resident's account is a `members.User` with the role 居民 (the phone as login); this profile says where
they live: the community they name, and the grid when they know it. Staff see the phone masked unless
they handle one of the resident's demands (`may_see_phone`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from sites.models import Area, AreaLevel
from sites.scoping import AreaScopedQuerySet


class ResidentQuerySet(AreaScopedQuerySet):
    area_path_lookup = "community__path"


class Resident(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT, related_name="resident"
    )
    name = models.CharField("称呼", max_length=50)
    community = models.ForeignKey(
        Area,
        verbose_name="所在社区",
        on_delete=models.PROTECT,
        related_name="residents",
        limit_choices_to={"level": AreaLevel.COMMUNITY},
    )
    grid = models.ForeignKey(
        Area,
        verbose_name="所在网格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_residents",
        limit_choices_to={"level": AreaLevel.GRID},
        help_text="不清楚可不填。",
    )
    registered_at = models.DateTimeField("注册时间", auto_now_add=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = "居民"
        verbose_name_plural = "居民"

    def __str__(self):
        return f"{self.name}（{self.community}）"

    def clean(self):
        if self.community_id and self.community.level != AreaLevel.COMMUNITY:
            raise ValidationError({"community": "请选择一个社区。"})
        if self.grid_id and (
            self.grid.level != AreaLevel.GRID or not self.grid.path.startswith(self.community.path)
        ):
            raise ValidationError({"grid": "所选网格不在所选社区内，请重新选择或不填。"})
