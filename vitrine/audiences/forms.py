"""Forms readers use to say who they are."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience


class AudienceChoiceForm(forms.Form):
    audiences = forms.ModelMultipleChoiceField(
        label=_("I am …"),
        queryset=Audience.objects.filter(is_everyone=False),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose the groups you belong to. You then see what is written for them."),
    )
