"""A matching suggestion a person set aside: this resource is not for this need (they know why the
ranking can't: the unit already said no, the venue is too small). services.matching leaves such pairs
out of both rankings, the need's and the resource's; undoing the dismissal deletes the row and the
pair comes back.
"""

from django.conf import settings
from django.db import models

from .list_models import Need, Resource


class SuggestionDismissal(models.Model):
    need = models.ForeignKey(Need, verbose_name="需求", on_delete=models.CASCADE, related_name="dismissals")
    resource = models.ForeignKey(
        Resource, verbose_name="资源", on_delete=models.CASCADE, related_name="dismissals"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "不再推荐"
        verbose_name_plural = "不再推荐"
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "resource"],
                name="dismissal_one_per_pair",
                violation_error_message="该推荐已被设为不再推荐。",
            )
        ]

    def __str__(self):
        return f"{self.need_id} ✕ {self.resource_id}"
