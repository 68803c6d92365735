"""Admin form of an improvement: status changes made here go through the service."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import services


class ImprovementItemForm(WagtailAdminModelForm):
    status_note = forms.CharField(
        label=_("Note on the status change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the item's history when you change its status."),
    )

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            previous = self._stored_status()
            item = super().save(commit=True)
            services.improvement_record_saved(
                item=item,
                from_status=previous,
                user=getattr(self, "for_user", None),
                note=self.cleaned_data.get("status_note", ""),
            )
        return item

    def _stored_status(self) -> str | None:
        """The status as stored before this save, or None for a new item."""
        if self.instance.pk is None:
            return None
        stored = (
            type(self.instance)
            .objects.filter(pk=self.instance.pk)
            .select_for_update()
            .values_list("status", flat=True)
            .first()
        )
        return stored
