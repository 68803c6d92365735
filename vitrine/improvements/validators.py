"""Validators of the improvement register."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

_SITE_PATH = re.compile(r"^/(?!/)[^\s<>\"'\\]*$")
_web_url = URLValidator(schemes=["http", "https"])


def validate_link(value: str) -> None:
    """Accept a web address (http/https) or a path on this portal that starts with “/”."""
    if not value:
        return
    if _SITE_PATH.match(value):
        return
    try:
        _web_url(value)
    except ValidationError:
        raise ValidationError(
            _(
                "Enter a web address starting with http:// or https://, "
                "or a path on this portal starting with “/”."
            ),
            code="invalid_link",
        ) from None
