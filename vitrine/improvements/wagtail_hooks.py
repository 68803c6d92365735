"""The improvement register in the Wagtail admin."""

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import InspectView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .forms import ImprovementItemForm
from .models import ImprovementItem
from .panels import StatusHistoryPanel
from .prefill import prefill_from_query


class ImprovementCreateView(CreateView):
    """The add view; fields can come filled in from a survey result (see prefill.py)."""

    def get_initial(self):
        initial = super().get_initial()
        if self.request.method == "GET":
            initial.update(prefill_from_query(self.request.GET))
        return initial


class ImprovementInspectView(InspectView):
    """The inspect view, with the status history as a table."""

    def get_history_display_value(self):
        changes = self.object.history().select_related("changed_by")
        return mark_safe(  # noqa: S308 - the template escapes every value
            render_to_string(
                "improvements/admin/status_history_table.html", {"changes": list(changes)}
            )
        )


class ImprovementViewSet(SnippetViewSet):
    model = ImprovementItem
    icon = "tasks"
    menu_label = _("Improvements")
    menu_name = "improvements"
    menu_order = 290
    add_to_admin_menu = True
    list_display = [
        "title",
        "status",
        Column("area", label=_("Process area"), accessor="area_label", sort_key="area"),
        "owner",
        "target_date",
        "updated_at",
    ]
    list_filter = ["status", "area", "audiences", "source"]
    # No search_fields: the model's search index (title, description) is used; limiting the
    # fields here breaks the SQLite full-text backend.
    ordering = ["-updated_at"]
    add_view_class = ImprovementCreateView
    inspect_view_enabled = True
    inspect_view_class = ImprovementInspectView
    inspect_view_fields = [
        "title",
        "description",
        "status",
        "decline_reason",
        "area",
        "source",
        "source_url",
        "source_label",
        "owner",
        "target_date",
        "audiences",
        "benefit",
        "created_at",
        "updated_at",
        "history",
    ]

    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("description"),
            FieldPanel("benefit"),
            FieldPanel("area"),
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("decline_reason"), FieldPanel("status_note")],
                heading=_("Status"),
            ),
            MultiFieldPanel(
                [FieldPanel("source"), FieldPanel("source_url"), FieldPanel("source_label")],
                heading=_("Source"),
            ),
            FieldPanel("owner"),
            FieldPanel("target_date"),
            FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
            StatusHistoryPanel(),
        ],
        base_form_class=ImprovementItemForm,
    )


register_snippet(ImprovementViewSet)
