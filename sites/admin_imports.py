"""The admin's upload pages for area and site imports ("导入区域" / "导入阵地" on the changelists).

An upload becomes an ImportJob run by a worker (sites/import_jobs.py) with the same `sites.imports`
function as the management commands, the staff member as the user, so a file reaching outside their
area is refused row by row and nothing is kept. The progress page follows it (static/js/admin/
import_progress.js polls its JSON) and then shows the result: rows loaded, or every bad row.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .import_jobs import progress, start_import
from .imports import RowError
from .models import ImportJob, ImportStatus


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
    """An import page for a ModelAdmin: set `import_kind` (ImportKind), `import_columns`, `import_title`."""

    import_kind = None
    import_columns = []
    import_title = ""
    change_list_template = "admin/sites/change_list_with_import.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=name),
            path("import/<int:pk>/", view(self.import_job_view), name=f"{name}_job"),
            path("import/<int:pk>/progress.json", view(self.import_progress_view), name=f"{name}_progress"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"import_title": self.import_title, "may_import": self.has_add_permission(request)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.import_title,
            "columns": self.import_columns,
            **extra,
        }

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        if request.method == "POST" and form.is_valid():
            job = start_import(kind=self.import_kind, upload=form.cleaned_data["file"], user=request.user)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_job", pk=job.pk)
        return TemplateResponse(
            request,
            "admin/sites/import_form.html",
            self._context(request, form=form, errors=[]),
            status=400 if form.errors else 200,
        )

    def _job(self, request, pk):
        """The job, only for the staff member who started it (anyone else: 404)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        return get_object_or_404(ImportJob, pk=pk, kind=self.import_kind, created_by=request.user)

    def import_job_view(self, request, pk):
        """While the job runs, a progress bar; then its result, or the upload form with every bad row."""
        job = self._job(request, pk)
        url_name = f"admin:{self.opts.app_label}_{self.opts.model_name}_import"
        context = self._context(request, job=job, progress=progress(job))
        if job.status == ImportStatus.FAILED:
            errors = [RowError(e["line"], e["message"]) for e in job.errors]
            context.update(form=ImportForm(), errors=errors)
            return TemplateResponse(request, "admin/sites/import_form.html", context, status=400)
        context["progress_url"] = reverse(f"{url_name}_progress", args=[job.pk])
        return TemplateResponse(request, "admin/sites/import_job.html", context)

    def import_progress_view(self, request, pk):
        return JsonResponse(progress(self._job(request, pk)))
