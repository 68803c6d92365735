"""The meta description of every reader page: what search results and shared links show."""

from __future__ import annotations

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

register = template.Library()

# Search engines show about this many characters; longer texts end with "…" at a word.
MAX_LENGTH = 160

# What a page says about itself, most specific first: what the editor wrote for search, the
# benefit line, the teaser of a news item, the introduction, a description.
PAGE_FIELDS = ("search_description", "benefit", "teaser", "intro", "description")
# What a detail view inside a page shows (a catalog entry, an improvement item).
DETAIL_FIELDS = ("benefit", "description")


def _plain(value) -> str:
    """Text without markup (rich text intros) and with single spaces."""
    text = strip_tags(str(getattr(value, "source", value) or ""))
    return " ".join(text.split())


def _first(obj, fields) -> str:
    for field in fields:
        text = _plain(getattr(obj, field, ""))
        if text:
            return text
    return ""


def _default(context) -> str:
    design = getattr(context.get("settings"), "portal", None)
    design = getattr(design, "CorporateDesign", None)
    portal = getattr(design, "portal_name", "") or _("The portal")
    return _("%(portal)s: software and licenses, news, contacts and how to get what you need.") % {
        "portal": portal
    }


@register.simple_tag(takes_context=True)
def meta_description(context) -> str:
    """A view's own description (`meta_description` in its context), else the detail's or the
    page's own words, else a description of the portal; plain text of at most MAX_LENGTH."""
    text = _plain(context.get("meta_description", ""))
    for detail in (context.get("entry"), context.get("item")):
        if not text and detail is not None:
            text = _first(detail, DETAIL_FIELDS)
    page = context.get("page")
    if not text and page is not None:
        text = _first(page, PAGE_FIELDS)
    return Truncator(text or _default(context)).chars(MAX_LENGTH)
