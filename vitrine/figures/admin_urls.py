"""Admin URLs of the figures import, mounted under /admin/figures/ by wagtail_hooks."""

from django.urls import path

from . import admin_views

app_name = "figures_admin"

urlpatterns = [
    path("import/", admin_views.FiguresImportView.as_view(), name="import"),
    path("import/start/", admin_views.FiguresImportStartView.as_view(), name="import_start"),
    path("import/runs/<int:pk>/", admin_views.ImportRunView.as_view(), name="run"),
    path(
        "import/runs/<int:pk>/status.json",
        admin_views.ImportRunStatusView.as_view(),
        name="run_status",
    ),
    path("import/runs/<int:pk>/undo/", admin_views.ImportRunUndoView.as_view(), name="run_undo"),
]
