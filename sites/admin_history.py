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
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "（空）"


class ChineseDeltaHelper(HistoricalRecordContextHelper):
    """A change from or to nothing reads （空）, not Python's "None"; a boolean reads 是/否."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return "是" if value else "否"
        return value


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

    def get_historical_record_context_helper(self, request, historical_record):
        return ChineseDeltaHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        # simple-history prints a missing change reason as Python's "None"; ours are never given.
        for record in historical_records:
            record.history_change_reason = record.history_change_reason or ""

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
