"""Audiences and reader assignments in the Wagtail admin."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, ReaderProfile


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Audiences")
    list_display = ["name", "slug", "is_everyone", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class ReaderProfileViewSet(SnippetViewSet):
    model = ReaderProfile
    icon = "user"
    menu_label = _("Reader assignments")
    list_display = ["user"]
    search_fields = ["user__username", "user__last_name"]
    panels = [
        FieldPanel("user"),
        FieldPanel("assigned_audiences", widget=forms.CheckboxSelectMultiple),
        FieldPanel("chosen_audiences", read_only=True),
    ]


class AudienceGroup(SnippetViewSetGroup):
    items = (AudienceViewSet, ReaderProfileViewSet)
    menu_icon = "group"
    menu_label = _("Audiences")
    menu_name = "audiences"


register_snippet(AudienceGroup)
