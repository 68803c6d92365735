"""App configuration for the portal (C2)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "vitrine.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            search,  # noqa: F401 - connects the search index refresh on publish
        )
