"""The admin's half of area scoping: one base class every ModelAdmin of an area-scoped model uses.

Staff see only rows their `visible_to(user)` allows, a foreign-key dropdown offers only rows they may
see (so they cannot move a record out of their area), and another area's record opened by its URL is a
404, because the change view looks the object up in the scoped queryset. Rights come from the role, not
from per-model Django permissions, so a new staff account works without assigning permissions by hand.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect

from .admin_lookups import IncorrectLookupParameters, RefusedLookup, StrictChangeList, refused_lookup_page
from .ids import ModelIdChoiceField, ModelMultipleIdChoiceField, parse_id
from .scoping import AreaScopedQuerySet
from .strict_json import JSONFormField


def is_area_staff(user):
    """members.User.is_area_staff, asked of any request user (an anonymous one has no area)."""
    return getattr(user, "is_area_staff", False)


class BoundedIdsAdmin:
    """Rows chosen by id in the admin (raw-id boxes, autocomplete selects, an action's ticked rows):
    "abc" or 2**63 there is a form error or a message, not a crash in the query or in the widget that
    shows the choice again (sites.ids). Every admin of ours has it, Django's groups too (members.admin).
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelIdChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelMultipleIdChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # Django filters pk__in with the ticked ids as they are.
        ticked = request.POST.getlist(ACTION_CHECKBOX_NAME) if request.method == "POST" else []
        if any(parse_id(pk) is None for pk in ticked):
            self.message_user(request, "所选记录的编号有误，请刷新列表后重新勾选。", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)


class AreaScopedAdmin(BoundedIdsAdmin, admin.ModelAdmin):
    # Which roles (members.Role values) may add, change and delete; None lets every staff role.
    editing_roles = None
    # Big tables: no COUNT(*) over the whole table on every changelist page.
    show_full_result_count = False
    # JSON typed in (an area's boundary) is read strictly: NaN or deep nesting is a form error, not a 500.
    formfield_overrides = {models.JSONField: {"form_class": JSONFormField}}

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._scoped_choices(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._scoped_choices(db_field, request, kwargs)
        )

    @staticmethod
    def _scoped_choices(db_field, request, kwargs):
        """Offer only related rows the user may see, so nothing can be moved out of their area."""
        queryset = db_field.related_model._default_manager.all()
        if isinstance(queryset, AreaScopedQuerySet) and "queryset" not in kwargs:
            kwargs["queryset"] = queryset.visible_to(request.user)
        return kwargs

    # A filter typed into the address bar that can't be used is a 400 saying so (sites.admin_lookups).
    def get_changelist(self, request, **kwargs):
        return StrictChangeList

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters as error:
            raise RefusedLookup from error

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except RefusedLookup as refused:
            return refused_lookup_page(self, request, refused.__cause__)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the admin index with "may have been deleted"; for another area's record
        # that would still confirm it exists. A plain 404 says nothing.
        raise Http404(f"{opts.verbose_name}不存在或不在您的管辖范围内。")

    def _may_edit(self, request):
        user = request.user
        if user.is_superuser:
            return True
        return is_area_staff(user) and (self.editing_roles is None or user.role in self.editing_roles)

    def has_module_permission(self, request):
        return is_area_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request)


class AreaScopedInline:
    """Inlines (a site's rooms) follow the rights of the admin they sit in, not per-model permissions."""

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)


class WritePathAdmin:
    """For models whose rows carry a status or a counter: the admin parses and presents, a domain
    function decides and writes. The subclass's `save_model` / `delete_model` call that function (which
    also saves the many-to-many fields it owns), so the admin can do nothing the pages refuse.

    A refusal the form could not foresee (another person took a step meanwhile) comes back to the change
    page as a message, with nothing saved, instead of a 500.
    """

    # What a domain function raises to refuse; an app adds its own error class.
    refusals = (ValidationError,)

    def save_related(self, request, form, formsets, change):
        # The domain function saved the form's own many-to-many fields; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @staticmethod
    def adopt(obj, saved):
        """Point the admin's unsaved object at the row the domain function created (log, redirect)."""
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except self.refusals as error:
            self.message_user(request, "未保存：" + "；".join(_reasons(error)), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except self.refusals as error:
            self.message_user(request, "未删除：" + "；".join(_reasons(error)), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def _reasons(error):
    return getattr(error, "messages", None) or [str(error)]


class ReadOnlyAdmin(AreaScopedAdmin):
    """Scoped and read-only: rows written elsewhere (a ledger, a resident's own registration)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
