"""App configuration for the software catalog (C2)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "vitrine.catalog"
    label = "catalog"
    verbose_name = _("Software catalog")
