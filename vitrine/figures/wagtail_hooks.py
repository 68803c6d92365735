"""Figures in the Wagtail admin: import runs (read-only) and series with their latest value,
and the file import (upload, preview, progress) in the Figures menu."""

from decimal import Decimal

from django.urls import include, path, reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as UIMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from . import admin_urls, selectors
from .admin_views import user_can_import
from .models import FigureSeries, ImportRun, InactivityThreshold
from .units import unit_for

_WRITES = {"add", "change", "delete"}


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Runs are written by imports only; in the admin they are a record to read."""

    def user_has_permission(self, user, action):
        return action not in _WRITES and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - _WRITES)


register_permission_policy(ImportRun, ReadOnlyPolicy(ImportRun))


class SeriesPolicy(ModelPermissionPolicy):
    """Series are made by imports and the API (their key ties them to the figures); in the
    admin editors describe them and write their meanings."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - {"add"})


register_permission_policy(FigureSeries, SeriesPolicy(FigureSeries))


class NumberColumn(Column):
    """A stored decimal without its trailing zeros ("10", not "10,0000"), localised."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if isinstance(value, Decimal):
            return number_format(Decimal(f"{value.normalize():f}"))
        return value


class UnitColumn(Column):
    """The unit as the admin's language reads it, fitting the latest value: "1 Konto",
    "57 Konten"; not the stored code ("accounts")."""

    def get_value(self, instance):
        return unit_for(instance.unit, getattr(instance, "latest_value", None))


FIGURES_MENU_HOOK = "register_figures_menu_item"


class ImportRunIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if user_can_import(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Import figures"), url=reverse("figures_admin:import"), icon_name="upload"
                )
            )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if user_can_import(self.request.user):
            url = reverse("figures_admin:run", args=[instance.pk])
            buttons.append(
                UIMenuItem(_("Progress and result"), url=url, icon_name="upload", priority=15)
            )
        return buttons


class ImportRunViewSet(SnippetViewSet):
    model = ImportRun
    icon = "upload"
    menu_label = _("Import runs")
    index_view_class = ImportRunIndexView
    inspect_view_enabled = True
    list_display = [
        "file_name",
        "format",
        "status",
        "dry_run",
        "row_count",
        "problem_count",
        "figure_date",
        "imported_by",
        "started_at",
    ]
    list_filter = ["status", "format", "dry_run"]
    search_fields = ["file_name"]
    search_backend_name = None  # runs are not indexed; search file names in the database
    ordering = ["-started_at"]

    def get_queryset(self, request):
        return selectors.import_runs()


class FigureSeriesViewSet(SnippetViewSet):
    model = FigureSeries
    icon = "table"
    menu_label = _("Figure series")
    list_display = [
        "title",
        "key",
        "topic",
        NumberColumn("latest_value", label=_("Latest value")),
        UnitColumn("unit", label=capfirst(FigureSeries._meta.get_field("unit").verbose_name)),
        Column("latest_date", label=_("Date of the latest value")),
    ]
    list_filter = ["topic"]
    search_fields = ["title", "key", "product"]
    search_backend_name = None
    ordering = ["topic", "key"]

    def get_queryset(self, request):
        return selectors.series_with_latest()


class InactivityThresholdViewSet(SnippetViewSet):
    model = InactivityThreshold
    icon = "time"
    menu_label = _("Inactivity thresholds")
    list_display = ["product", "first_days", "second_days", "third_days"]
    search_fields = ["product"]
    search_backend_name = None
    ordering = ["product"]


class FiguresGroup(SnippetViewSetGroup):
    items = (FigureSeriesViewSet, ImportRunViewSet, InactivityThresholdViewSet)
    menu_icon = "table"
    menu_label = _("Figures")
    menu_name = "figures"
    submenu_hook = FIGURES_MENU_HOOK


register_snippet(FiguresGroup)


class FiguresImportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return user_can_import(request.user)


@hooks.register(FIGURES_MENU_HOOK)
def register_figures_import_menu_item():
    return FiguresImportMenuItem(
        _("Import figures"), reverse("figures_admin:import"), icon_name="upload", order=900
    )


@hooks.register("register_admin_urls")
def register_figures_admin_urls():
    return [path("figures/", include(admin_urls, namespace="figures_admin"))]
