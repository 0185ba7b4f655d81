"""django-axes' admin for login lockouts, with an unlock action in Chinese.

A lock is nothing but the AccessAttempt rows of that username or address: deleting them unlocks at
once. Django's generic delete action would do the same, but staff look for the word 解锁.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    actions = ["unlock", *AccessAttemptAdmin.actions]

    @admin.action(description="解除锁定（清除所选的失败计数）", permissions=["delete"])
    def unlock(self, request, queryset):
        names = sorted({attempt.username or attempt.ip_address for attempt in queryset})
        queryset.delete()
        self.message_user(request, f"已解除锁定：{'、'.join(names)}。", messages.SUCCESS)
