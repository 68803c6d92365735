"""Figures in the Wagtail admin: import runs (read-only) and series with their latest value."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import selectors
from .models import FigureSeries, ImportRun

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


class ImportRunViewSet(SnippetViewSet):
    model = ImportRun
    icon = "upload"
    menu_label = _("Import runs")
    inspect_view_enabled = True
    list_display = [
        "file_name",
        "format",
        "status",
        "row_count",
        "problem_count",
        "figure_date",
        "imported_by",
        "started_at",
    ]
    list_filter = ["status", "format"]
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
        Column("latest_value", label=_("Latest value")),
        "unit",
        Column("latest_date", label=_("Date of the latest value")),
    ]
    list_filter = ["topic"]
    search_fields = ["title", "key", "product"]
    search_backend_name = None
    ordering = ["topic", "key"]

    def get_queryset(self, request):
        return selectors.series_with_latest()


class FiguresGroup(SnippetViewSetGroup):
    items = (FigureSeriesViewSet, ImportRunViewSet)
    menu_icon = "table"
    menu_label = _("Figures")
    menu_name = "figures"


register_snippet(FiguresGroup)
