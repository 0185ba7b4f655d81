"""The admin's upload pages for area and site imports ("导入区域" / "导入阵地" on the changelists).

They call the same `sites.imports` functions as the management commands, with the staff member as the
user, so a file reaching outside their area is refused row by row and nothing is kept.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from .imports import ImportFailed


class ImportForm(forms.Form):
    file = forms.FileField(
        label="文件",
        help_text="CSV（UTF-8，可带 BOM）或 Excel .xlsx，第一行为表头。",
        error_messages={"required": "请选择要导入的文件。", "empty": "上传的文件是空的。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("只能导入 .csv 或 .xlsx 文件。")
        return upload


class ImportAdminMixin:
    """An import page for a ModelAdmin: set `importer` (staticmethod), `import_columns`, `import_title`."""

    importer = None
    import_columns = []
    import_title = ""
    change_list_template = "admin/sites/change_list_with_import.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"import_title": self.import_title, "may_import": self.has_add_permission(request)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = self.importer(file=upload, filename=upload.name, user=request.user)
            except ImportFailed as failure:
                errors = failure.errors
            else:
                self.message_user(request, f"{self.import_title}完成：{result}", messages.SUCCESS)
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.import_title,
            "form": form,
            "errors": errors,
            "columns": self.import_columns,
        }
        return TemplateResponse(
            request, "admin/sites/import_form.html", context, status=400 if errors or form.errors else 200
        )
