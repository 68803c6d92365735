"""Wagtail admin views of the catalog: the file import and its template download."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .choices import CostClass, HowToGet, LicenseType
from .forms import CatalogImportForm
from .importer import COLUMNS, COLUMNS_BY_KEY, MAX_PROBLEMS_SHOWN, catalog_template_csv
from .services import CatalogImportRefused, catalog_import_file
from .tabular import max_unpacked_bytes

ENTRY_INDEX_URL_NAME = "wagtailsnippets_catalog_catalogentry:list"
IMPORT_PERMISSIONS = ("catalog.add_catalogentry", "catalog.change_catalogentry")


def user_can_import(user) -> bool:
    """Importing adds and changes entries, so it needs both permissions."""
    return bool(user and user.is_active and user.has_perms(IMPORT_PERMISSIONS))


class CatalogImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a CSV or XLSX file; it is imported whole or refused with every problem."""

    form_class = CatalogImportForm
    template_name = "catalog/admin/import.html"
    page_title = gettext_lazy("Import the software catalog")
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not user_can_import(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(ENTRY_INDEX_URL_NAME), "label": _("Catalog entries")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "columns": COLUMNS,
                "template_url": reverse("catalog_import_template"),
                "max_problems": MAX_PROBLEMS_SHOWN,
                "max_unpacked": max_unpacked_bytes(),
                "value_lists": [
                    (COLUMNS_BY_KEY["how_to_get"], HowToGet.labels),
                    (COLUMNS_BY_KEY["cost_class"], CostClass.labels),
                    (COLUMNS_BY_KEY["license_type"], LicenseType.labels),
                ],
            }
        )
        return context

    def form_valid(self, form: CatalogImportForm):
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            result = catalog_import_file(
                file=upload,
                filename=upload.name,
                sheet=form.cleaned_data["sheet"] or None,
                dry_run=dry_run,
            )
        except CatalogImportRefused as refused:
            return self.render_to_response(
                self.get_context_data(form=form, refused=refused, file_name=upload.name)
            )
        if dry_run:
            return self.render_to_response(
                self.get_context_data(form=form, checked=result, file_name=upload.name)
            )
        messages.success(
            self.request,
            _("“%(file)s” was imported: %(summary)s")
            % {"file": upload.name, "summary": result.summary()},
        )
        for note in result.notes:
            messages.info(self.request, note)
        return redirect(ENTRY_INDEX_URL_NAME)


def catalog_import_template(request: HttpRequest) -> HttpResponse:
    """The CSV template with German headings and example rows, ready for Excel."""
    response = HttpResponse(catalog_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="softwarekatalog-vorlage.csv"'
    return response
