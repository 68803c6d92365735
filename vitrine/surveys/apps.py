"""App configuration for surveys and their published results (C4)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "vitrine.surveys"
    label = "surveys"
    verbose_name = _("Surveys")
