"""App configuration for figures and topic excerpts (C3)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "vitrine.figures"
    label = "figures"
    verbose_name = _("Figures")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from .admin_views import previews_discard_on_logout

        user_logged_out.connect(previews_discard_on_logout, dispatch_uid="figures_previews_discard")
