"""Admin URLs of surveys, mounted under /admin/surveys/ by wagtail_hooks."""

from django.urls import path

from . import admin_views

app_name = "surveys_admin"

urlpatterns = [
    path("<int:page_id>/results/", admin_views.SurveyResultsView.as_view(), name="results"),
    path("<int:page_id>/contacts/", admin_views.ContactWishesView.as_view(), name="contacts"),
    path(
        "<int:page_id>/export/<str:what>.<str:file_format>",
        admin_views.export_view,
        name="export",
    ),
    path(
        "<int:page_id>/improvement/",
        admin_views.ImprovementFromSurveyView.as_view(),
        name="improvement",
    ),
]
