"""Surveys in the Wagtail admin: the series snippet and the results of each survey."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls
from .models import SurveyPage, SurveySeries


class SurveySeriesViewSet(SnippetViewSet):
    model = SurveySeries
    icon = "list-ul"
    menu_label = _("Survey series")
    list_display = ["title"]
    search_fields = ["title"]
    search_backend_name = None
    add_to_admin_menu = False


register_snippet(SurveySeriesViewSet)


@hooks.register("register_admin_urls")
def register_surveys_admin_urls():
    return [path("surveys/", include(admin_urls, namespace="surveys_admin"))]


def _results_button(page, user, priority):
    page_class = getattr(page, "specific_class", None) or type(page)
    if not issubclass(page_class, SurveyPage):
        return []
    if not page.permissions_for_user(user).can_edit():
        return []
    return [
        Button(
            _("Results"),
            url=reverse("surveys_admin:results", args=[page.pk]),
            icon_name="list-ul",
            priority=priority,
        )
    ]


@hooks.register("register_page_header_buttons")
def survey_results_header_button(page, user, view_name=None, next_url=None):
    return _results_button(page, user, priority=25)


@hooks.register("register_page_listing_more_buttons")
def survey_results_listing_button(page, user, next_url=None):
    return _results_button(page, user, priority=25)
