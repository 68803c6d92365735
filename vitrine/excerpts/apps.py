from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExcerptsConfig(AppConfig):
    name = "vitrine.excerpts"
    verbose_name = _("Topic excerpts")
