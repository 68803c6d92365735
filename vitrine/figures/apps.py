"""App configuration for figures and topic excerpts (C3)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "vitrine.figures"
    label = "figures"
    verbose_name = _("Figures")
