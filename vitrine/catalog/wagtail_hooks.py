"""The software catalog in the Wagtail admin: entries, categories and the file import."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from vitrine.exports.spreadsheet import FormulaSafeExportMixin

from .admin_views import CatalogImportView, catalog_import_template, user_can_import
from .forms import CatalogEntryAdminForm
from .models import CatalogCategory, CatalogEntry

CATALOG_MENU_HOOK = "register_catalog_menu_item"


class CatalogEntryIndexView(FormulaSafeExportMixin, IndexView):
    """The entries' list; its CSV and XLSX downloads carry vendor texts as text, never formulas."""

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if user_can_import(self.request.user):
            buttons.append(
                HeaderButton(_("Import file"), url=reverse("catalog_import"), icon_name="upload")
            )
        return buttons


class CatalogEntryViewSet(SnippetViewSet):
    model = CatalogEntry
    icon = "list-ul"
    menu_label = _("Catalog entries")
    index_view_class = CatalogEntryIndexView
    edit_handler = ObjectList(CatalogEntry.panels, base_form_class=CatalogEntryAdminForm)
    list_display = ["product", "vendor", "category", "how_to_get", "cost_class", "updated_at"]
    list_filter = ["category", "how_to_get", "cost_class", "license_type"]
    list_export = [
        "product",
        "vendor",
        "category",
        "how_to_get",
        "lead_time_days",
        "cost_class",
        "license_type",
        "updated_at",
    ]
    # No search_fields: the admin then searches the Wagtail index (product and vendor as
    # you type); naming fields here trips the SQLite backend's autocomplete.
    ordering = ["product", "vendor"]


class CatalogCategoryViewSet(SnippetViewSet):
    model = CatalogCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["name", "slug", "order"]
    search_fields = ["name"]
    search_backend_name = None  # categories are not indexed; search their names in the database
    ordering = ["order", "name"]


class CatalogGroup(SnippetViewSetGroup):
    items = (CatalogEntryViewSet, CatalogCategoryViewSet)
    menu_icon = "list-ul"
    menu_label = _("Software catalog")
    menu_name = "software-catalog"
    submenu_hook = CATALOG_MENU_HOOK


register_snippet(CatalogGroup)


class CatalogImportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return user_can_import(request.user)


@hooks.register(CATALOG_MENU_HOOK)
def register_catalog_import_menu_item():
    return CatalogImportMenuItem(
        _("Import file"), reverse("catalog_import"), icon_name="upload", order=900
    )


@hooks.register("register_admin_urls")
def register_catalog_admin_urls():
    return [
        path("catalog/import/", CatalogImportView.as_view(), name="catalog_import"),
        path(
            "catalog/import/vorlage.csv",
            catalog_import_template,
            name="catalog_import_template",
        ),
    ]
