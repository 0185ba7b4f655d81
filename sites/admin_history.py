"""The change history of a record in the admin (django-simple-history), scoped and read-only.

Mix `ScopedHistoryAdmin` in before `AreaScopedAdmin`. simple-history's own views look a record's
history up by its id alone, so without this another area's history (and its past versions) would open
by URL: here both views first look the record up in the scoped queryset, and a record outside the
user's area is a 404 like its change page. Only a superuser reads the history of a deleted record.

Reverting is off (`SIMPLE_HISTORY_REVERT_DISABLED`, and a POST to a past version is refused): saving
an old version back would bypass the domain functions and the rules of the edit forms.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("修改记录只能查看，不能还原。")
        self._require_visible(request, object_id)
        self._require_id(self.model.history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _require_visible(self, request, object_id):
        object_id = unquote(object_id)
        if self.get_object(request, object_id) is not None:
            return
        if not request.user.is_superuser:
            raise Http404(f"{self.model._meta.verbose_name}不存在或不在您的管辖范围内。")
        self._require_id(self.model._meta.pk, object_id)

    @staticmethod
    def _require_id(field, value):
        try:
            field.to_python(value)
        except ValidationError as error:
            raise Http404("记录不存在。") from error
