"""System checks of the portal's configuration, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .links import is_local


@register(Tags.security, deploy=True)
def check_base_url(app_configs=None, **kwargs) -> list[Error]:
    """Links in exports, feeds and mails are built on BASE_URL: a deployment needs the real one."""
    base_url = getattr(settings, "BASE_URL", "")
    if not base_url:
        return [
            Error(
                "BASE_URL is not set.",
                hint=(
                    "Set BASE_URL to the portal's address as readers reach it, e.g. "
                    "https://vitrine.example.org; exports, feeds and mails link to it "
                    "(see docs/configuration.md)."
                ),
                id="portal.E001",
            )
        ]
    if is_local(base_url) or not base_url.startswith(("http://", "https://")):
        return [
            Error(
                f"BASE_URL ({base_url}) is not an address readers can reach.",
                hint=(
                    "Set BASE_URL to the portal's public http(s) address, not localhost or a "
                    "loopback address; links in exports, feeds and mails would lead nowhere."
                ),
                id="portal.E002",
            )
        ]
    return []
