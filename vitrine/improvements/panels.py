"""Admin panels of the improvement register."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class StatusHistoryPanel(Panel):
    """Read-only list of an item's status changes, shown on its edit view."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Status history"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "status_history"

    class BoundPanel(Panel.BoundPanel):
        template_name = "improvements/admin/status_history_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            instance = self.instance
            context["changes"] = (
                list(instance.history().select_related("changed_by"))
                if instance is not None and instance.pk
                else []
            )
            return context
