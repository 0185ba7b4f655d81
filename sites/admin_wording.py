"""The admin in Chinese where Django's translations can't reach: words Django builds in Python without
gettext, or stores in the database in English.

- A boolean in a list or a read-only field is an icon whose alt text (read out by screen readers) is
  Python's True/False/None: Django formats the value itself (admin_list._boolean_icon).
- A permission's name is written in English when its model is migrated ("Can add log entry"); the
  pickers of groups and accounts label each one from its codename and its model's verbose name instead.
"""

from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html

BOOLEAN_WORDS = {True: ("yes", "是"), False: ("no", "否"), None: ("unknown", "未知")}


def _boolean_icon(field_val):
    icon, word = BOOLEAN_WORDS[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), word)


def use_chinese_boolean_icons():
    # Django's admin imports the function from this module at each call (helpers, utils), so replacing
    # it here reaches every list and read-only field. Called once, from SitesConfig.ready().
    admin_list._boolean_icon = _boolean_icon


PERMISSION_VERBS = {"add": "可添加", "change": "可修改", "delete": "可删除", "view": "可查看"}


def permission_label(permission):
    """“账号与组织 | 党组织 | 可修改党组织” for Django's four default permissions of a model; a permission
    of any other kind keeps the name it was declared with."""
    content_type = permission.content_type
    model = content_type.model_class()
    verb, _, model_name = permission.codename.partition("_")
    if model is None or verb not in PERMISSION_VERBS or model_name != model._meta.model_name:
        return f"{content_type} | {permission.name}"
    return f"{content_type} | {PERMISSION_VERBS[verb]}{model._meta.verbose_name}"


class ChinesePermissionsAdmin:
    """Mixed into the admins of accounts and groups: their permission pickers in Chinese."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in self.permission_fields:
            field.label_from_instance = permission_label
        return field
