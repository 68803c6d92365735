"""App configuration for the improvement register (continual improvement, made visible)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementsConfig(AppConfig):
    name = "vitrine.improvements"
    label = "improvements"
    verbose_name = _("Improvements")
