"""Forms of the software catalog: the reader's filters and the editor's import upload."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .choices import HowToGet
from .models import CatalogEntry
from .selectors import MAX_QUERY_LENGTH, catalog_categories


class CatalogFilterForm(forms.Form):
    """The catalog page's GET filters; an invalid value is reported and then ignored."""

    q = forms.CharField(label=_("Search the catalog"), required=False)
    kategorie = forms.ModelChoiceField(
        label=_("Category"),
        queryset=catalog_categories(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
        error_messages={
            "invalid_choice": _(
                "There is no category “%(value)s”. The filter was ignored; "
                "all categories are shown."
            )
        },
    )
    bezug = forms.ChoiceField(
        label=_("How to get it"),
        choices=[("", _("Every way")), *HowToGet.choices],
        required=False,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a way to get software. The filter was ignored; "
                "entries are shown however they are obtained."
            )
        },
    )
    alle = forms.BooleanField(
        label=_("Show software for all audiences"),
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "1"}),
    )

    def clean_q(self) -> str:
        # Long input is cut rather than refused: a search should always answer.
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]


class CatalogImportForm(forms.Form):
    """Upload of a catalog file (CSV or XLSX) in the Wagtail admin."""

    file = forms.FileField(
        label=_("Catalog file"),
        help_text=_("CSV (comma, semicolon or tab separated) or Excel workbook (.xlsx)."),
    )
    sheet = forms.CharField(
        label=_("Worksheet"),
        required=False,
        max_length=31,
        help_text=_("Only for Excel workbooks: the sheet to read. Empty means the first sheet."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only"),
        required=False,
        help_text=_("Validate the file and show what would change, without saving anything."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.VITRINE_CATALOG_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file has %(size)s; files up to %(limit)s can be imported.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class CatalogEntryAdminForm(WagtailAdminModelForm):
    """The entry form of the admin: an entry is never offered as its own alternative."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("alternatives")
        if field is not None:
            choices = CatalogEntry.objects.order_by("product", "vendor")
            if self.instance.pk:
                choices = choices.exclude(pk=self.instance.pk)
            field.queryset = choices
