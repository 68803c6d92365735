"""Open an item from elsewhere (a survey result, a free-text answer) with fields filled in.

Other apps link to `improvement_add_url(...)`; the admin's add view reads the query string
through `prefill_from_query`, keeps only known fields and valid values, and the editor
checks and saves as usual.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse

from .choices import Area, Source
from .models import ImprovementItem
from .validators import validate_link

ADD_URL_NAME = "wagtailsnippets_improvements_improvementitem:add"
_TEXT_FIELDS = ("title", "description", "source_label")


def _max_length(name: str) -> int:
    return ImprovementItem._meta.get_field(name).max_length


def improvement_add_url(
    *,
    title: str = "",
    description: str = "",
    source: str = Source.SURVEY,
    source_url: str = "",
    source_label: str = "",
    area: str = "",
) -> str:
    """The admin address that opens a new item with these fields filled in."""
    params = {
        "title": title,
        "description": description,
        "source": source,
        "source_url": source_url,
        "source_label": source_label,
        "area": area,
    }
    query = urlencode({key: value for key, value in params.items() if value})
    return reverse(ADD_URL_NAME) + (f"?{query}" if query else "")


def prefill_from_query(params) -> dict:
    """Initial form values from a query string; unknown keys and bad values are dropped."""
    initial: dict = {}
    for name in _TEXT_FIELDS:
        value = (params.get(name) or "").strip()
        if value:
            initial[name] = value[: _max_length(name)]
    if params.get("source") in Source.values:
        initial["source"] = params["source"]
    if params.get("area") in Area.values:
        initial["area"] = params["area"]
    source_url = (params.get("source_url") or "").strip()
    if source_url and len(source_url) <= _max_length("source_url"):
        try:
            validate_link(source_url)
        except ValidationError:
            pass
        else:
            initial["source_url"] = source_url
    return initial
