"""App configuration for outreach (C6): feeds first, pull before push."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "vitrine.outreach"
    label = "outreach"
    verbose_name = _("Outreach")
